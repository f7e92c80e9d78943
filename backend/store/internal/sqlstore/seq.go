package sqlstore

// NextSeq is the value expression of a new row's seq column in an INSERT
// (`VALUES (?, `+q.Dialect().NextSeq("alerts")+`, …)`): SQLite's tables
// number rows in its single writer, one more than the largest seq so far;
// PostgreSQL's seq columns are identities whose DEFAULT draws the next
// value. Read the value back with RETURNING seq when it is needed. table
// is always a constant of the caller, never input.
func (d Dialect) NextSeq(table string) string {
	if d == Postgres {
		return "DEFAULT"
	}
	return "(SELECT COALESCE(MAX(seq), 0) + 1 FROM " + table + ")"
}
