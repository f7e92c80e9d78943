package sqlstore

import "strings"

// InStrings is the condition "col is one of values" with its arguments:
// SQLite gets `col IN (?, ?, …)`, one argument a value; PostgreSQL gets
// `col = ANY(?)` with the slice as one array argument, so the statement
// text (and pgx's prepared statement) is the same whatever the count.
// col is always a constant of the caller, never input.
func (d Dialect) InStrings(col string, values []string) (string, []any) {
	if d == Postgres {
		return col + " = ANY(?)", []any{values}
	}
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	return col + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(values)), ", ") + ")", args
}

// orDefault stores an absent or null JSON document as def.
func orDefault(b []byte, def string) []byte {
	if len(b) == 0 || string(b) == "null" {
		return []byte(def)
	}
	return b
}
