package sqlite

import "context"

// CountPoints returns how many points are stored, hot rows and sealed
// blocks, over every series. It
// exists for tests and benchmarks that check a bulk ingest stored every
// point; nothing in the API needs it.
func (s *Store) CountPoints(ctx context.Context) (int64, error) {
	var n int64
	err := s.read.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM points) + (SELECT COALESCE(SUM(points), 0) FROM blocks)`).Scan(&n)
	return n, err
}
