package backendtest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgDumper reads a PostgreSQL database for MustDump over one connection
// kept for the Env's life: tests dump before and after every rejected
// request, and a new connection and a query per table made each dump
// take most of a second on a loaded machine.
type pgDumper struct {
	dsn  string
	mu   sync.Mutex // a pgx.Conn serves one query at a time
	conn *pgx.Conn
}

// dump is every table of the current schema (schema_migrations too, as
// SQLite's dump has every table), one sorted line per row, the row as the
// server renders it, read in one query.
func (d *pgDumper) dump() (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if d.conn == nil {
		conn, err := pgx.Connect(ctx, d.dsn)
		if err != nil {
			return "", err
		}
		d.conn = conn
	}
	// The tables are listed anew each time: partitions come and go.
	rows, err := d.conn.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		return "", err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", err
	}
	selects := make([]string, len(tables))
	for i, table := range tables {
		selects[i] = fmt.Sprintf(`SELECT %d, t::text FROM %s t`, i, pgx.Identifier{table}.Sanitize())
	}
	lines := make([][]string, len(tables))
	rows, err = d.conn.Query(ctx, strings.Join(selects, "\nUNION ALL "))
	if err != nil {
		return "", err
	}
	var i int
	var line string
	if _, err := pgx.ForEachRow(rows, []any{&i, &line}, func() error {
		lines[i] = append(lines[i], line)
		return nil
	}); err != nil {
		return "", err
	}
	var out strings.Builder
	for i, table := range tables {
		sort.Strings(lines[i])
		fmt.Fprintf(&out, "== %s (%d rows)\n", table, len(lines[i]))
		for _, l := range lines[i] {
			out.WriteString(l)
			out.WriteByte('\n')
		}
	}
	return out.String(), nil
}

// close ends the connection, if one was made.
func (d *pgDumper) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn != nil {
		d.conn.Close(context.Background())
		d.conn = nil
	}
}
