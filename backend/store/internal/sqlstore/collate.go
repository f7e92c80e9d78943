package sqlstore

// Bytewise is col compared byte by byte, for ORDER BY and range
// conditions on names and ids: SQLite's default BINARY collation already
// does; PostgreSQL's text follows the database's locale unless told
// COLLATE "C", and the two engines must list in the same order. col is
// always a constant of the caller, never input.
func (d Dialect) Bytewise(col string) string {
	if d == Postgres {
		return col + ` COLLATE "C"`
	}
	return col
}
