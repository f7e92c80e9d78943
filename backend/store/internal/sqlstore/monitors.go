package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// monitorOrder sorts rows by type in the order of monitor.Types (unknown
// types last), then by name (byte by byte on both engines), then by
// creation.
func monitorOrder(d Dialect) string {
	var b strings.Builder
	b.WriteString("CASE type")
	for i, t := range monitor.Types {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", t, i)
	}
	fmt.Fprintf(&b, " ELSE %d END, %s, seq", len(monitor.Types), d.Bytewise("name"))
	return b.String()
}

// CreateMonitor stores a new monitor; m.ID is the caller's (store.NewID).
func (c Core) CreateMonitor(ctx context.Context, m *store.Monitor) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		n, err := q.Exec(ctx, `INSERT INTO monitors (id, seq, type, name, body) VALUES (?, `+q.Dialect().NextSeq("monitors")+`, ?, ?, ?)
			ON CONFLICT (id) DO NOTHING`, m.ID, m.Type, m.Name, m.Body)
		return mustAffect(n, err, &store.Error{Kind: store.KindConflict, Resource: "monitor", ID: m.ID,
			Message: "monitor " + m.ID + " already exists"})
	})
}

// GetMonitor returns one monitor (KindNotFound when none).
func (c Core) GetMonitor(ctx context.Context, id string) (*store.Monitor, error) {
	return getMonitor(ctx, c.E.Reader(), id)
}

func getMonitor(ctx context.Context, q Q, id string) (*store.Monitor, error) {
	m, err := scanMonitor(q.QueryRow(ctx, `SELECT id, type, name, body FROM monitors WHERE id = ?`, id))
	if errors.Is(err, ErrNoRows) {
		return nil, store.NotFound("monitor", id)
	}
	if err != nil {
		return nil, err
	}
	return m, nil
}

func scanMonitor(row Row) (*store.Monitor, error) {
	m := &store.Monitor{}
	return m, row.Scan(&m.ID, &m.Type, &m.Name, &m.Body)
}

// ListMonitors returns every monitor in the list order of the API.
func (c Core) ListMonitors(ctx context.Context) ([]*store.Monitor, error) {
	r := c.E.Reader()
	out, err := collect(scanMonitor)(r.Query(ctx, `SELECT id, type, name, body FROM monitors ORDER BY `+monitorOrder(r.Dialect())))
	if out == nil && err == nil {
		out = []*store.Monitor{}
	}
	return out, err
}

// UpdateMonitor replaces a monitor's definition; its creation order (the
// tie-break of equal names) stays.
func (c Core) UpdateMonitor(ctx context.Context, m *store.Monitor) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		n, err := q.Exec(ctx, `UPDATE monitors SET type = ?, name = ?, body = ? WHERE id = ?`, m.Type, m.Name, m.Body, m.ID)
		return mustAffect(n, err, store.NotFound("monitor", m.ID))
	})
}

// DeleteMonitor removes a monitor with its evaluation state (states and
// cursor) and returns it as it was. Its alerts stay, for the engine to
// close in the same transaction.
func (t *Tx) DeleteMonitor(ctx context.Context, id string) (*store.Monitor, error) {
	m, err := getMonitor(ctx, t.Q, id)
	if err != nil {
		return nil, err
	}
	err = execAll(ctx, t.Q, []any{id},
		`DELETE FROM monitor_states WHERE monitor_id = ?`,
		`DELETE FROM evaluation_cursors WHERE monitor_id = ?`,
		`DELETE FROM monitors WHERE id = ?`)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// ServiceMonitorIDs returns the monitors bound to a service (service and
// external monitors name one in their definition), oldest first.
func (t *Tx) ServiceMonitorIDs(ctx context.Context, service string) ([]string, error) {
	// The body is the canonical JSON as bytes: SQLite reads it as text,
	// PostgreSQL's bytea must be decoded first.
	field := `json_extract(body, '$.service')`
	if t.Q.Dialect() == Postgres {
		field = `convert_from(body, 'UTF8')::jsonb ->> 'service'`
	}
	return collect(scanString)(t.Q.Query(ctx, `SELECT id FROM monitors WHERE type IN ('service', 'external')
		AND `+field+` = ? ORDER BY seq`, service))
}
