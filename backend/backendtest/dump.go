package backendtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"
)

// MustDump returns every row of every table of the Env's database as text,
// one sorted line per row, read through a separate read-only connection.
// Comparing two dumps is how tests assert that a rejected request changed
// nothing.
//
// On PostgreSQL the rows are read the same way, each rendered by the
// server as a row literal; identity and counter values count as data, so
// a rejected request that drew one and rolled back still compares equal
// (rolled-back rows never show), as on SQLite.
func (e *Env) MustDump(tb testing.TB) string {
	tb.Helper()
	if e.DBEngine == DBPostgres {
		out, err := e.pgDump.dump()
		if err != nil {
			tb.Fatalf("backendtest: dumping the PostgreSQL database: %v", err)
		}
		return out
	}
	out, err := dump(e.dumpDB)
	if err != nil {
		tb.Fatalf("backendtest: dumping %s: %v", e.Path, err)
	}
	return out
}

// MustDumpFile is MustDump for any database file.
func MustDumpFile(tb testing.TB, path string) string {
	tb.Helper()
	skipOnPostgres(tb, path, "MustDumpFile")
	db, err := openReadOnly(path)
	if err != nil {
		tb.Fatalf("backendtest: opening %s: %v", path, err)
	}
	defer db.Close()
	out, err := dump(db)
	if err != nil {
		tb.Fatalf("backendtest: dumping %s: %v", path, err)
	}
	return out
}

func openReadOnly(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		return nil, err
	}
	// One connection: opening more is the slow part under -race.
	db.SetMaxOpenConns(1)
	return db, nil
}

func dump(db *sql.DB) (string, error) {
	ctx := context.Background()
	tables, err := queryStrings(ctx, db, `SELECT name FROM sqlite_master
		WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return "", err
	}
	var out strings.Builder
	for _, table := range tables {
		rows, err := queryStrings(ctx, db, `SELECT * FROM "`+table+`"`)
		if err != nil {
			return "", fmt.Errorf("%s: %w", table, err)
		}
		sort.Strings(rows)
		fmt.Fprintf(&out, "== %s (%d rows)\n", table, len(rows))
		for _, r := range rows {
			out.WriteString(r)
			out.WriteByte('\n')
		}
	}
	return out.String(), nil
}

// queryStrings runs query and renders each row as one line of its columns.
func queryStrings(ctx context.Context, db *sql.DB, query string) ([]string, error) {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		if len(cols) == 1 {
			if s, ok := vals[0].(string); ok {
				out = append(out, s)
				continue
			}
		}
		parts := make([]string, len(cols))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			parts[i] = fmt.Sprintf("%s=%v", cols[i], v)
		}
		out = append(out, strings.Join(parts, " | "))
	}
	return out, rows.Err()
}
