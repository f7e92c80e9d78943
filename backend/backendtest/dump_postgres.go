package backendtest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// dumpPostgres is dump for a PostgreSQL database: every table of the
// current schema (schema_migrations too, as SQLite's dump has every
// table), one sorted line per row, the row as the server renders it.
func dumpPostgres(dsn string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		return "", err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", err
	}
	var out strings.Builder
	for _, table := range tables {
		rows, err := conn.Query(ctx, `SELECT t::text FROM `+pgx.Identifier{table}.Sanitize()+` t`)
		if err != nil {
			return "", fmt.Errorf("%s: %w", table, err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return "", fmt.Errorf("%s: %w", table, err)
		}
		sort.Strings(lines)
		fmt.Fprintf(&out, "== %s (%d rows)\n", table, len(lines))
		for _, l := range lines {
			out.WriteString(l)
			out.WriteByte('\n')
		}
	}
	return out.String(), nil
}
