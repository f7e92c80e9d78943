// Package dbdsn tells the two kinds of database names mkr accepts apart
// (--db, MKR_DB, a profile's db): a PostgreSQL URL, or a SQLite file path.
// The backend opens by it and the CLI decides by it whether a name is a
// file (made absolute, created with a notice) and how to print it.
package dbdsn

import (
	"strings"

	"github.com/mkr-dev/mkr/internal/redact"
)

// IsPostgres reports whether dsn is a PostgreSQL URL (postgres:// or
// postgresql://); anything else is a SQLite file path.
func IsPostgres(dsn string) bool {
	lower := strings.ToLower(dsn)
	return strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://")
}

// Display is dsn as it may be printed: a URL without its user and
// password, a path unchanged.
func Display(dsn string) string {
	if IsPostgres(dsn) {
		return redact.URL(dsn)
	}
	return dsn
}
