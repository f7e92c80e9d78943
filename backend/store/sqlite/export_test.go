package sqlite

// SeriesCacheLen is how many series ids s keeps in memory.
func SeriesCacheLen(s *Store) int { return s.series.Len() }
