package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// monitorOrder sorts rows by type in the order of monitor.Types (unknown
// types last), then by name, then by creation. Names compare byte by byte
// (COLLATE "C"), as SQLite's BINARY collation does, whatever the
// database's locale.
var monitorOrder = func() string {
	var b strings.Builder
	b.WriteString("CASE type")
	for i, t := range monitor.Types {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", t, i)
	}
	fmt.Fprintf(&b, ` ELSE %d END, name COLLATE "C", seq`, len(monitor.Types))
	return b.String()
}()

// CreateMonitor stores a new monitor; m.ID is the caller's (store.NewID).
func (s *Store) CreateMonitor(ctx context.Context, m *store.Monitor) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO monitors (id, type, name, body) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
			m.ID, m.Type, m.Name, m.Body)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return &store.Error{Kind: store.KindConflict, Resource: "monitor", ID: m.ID,
				Message: "monitor " + m.ID + " already exists"}
		}
		return nil
	})
}

// GetMonitor returns one monitor (KindNotFound when none).
func (s *Store) GetMonitor(ctx context.Context, id string) (*store.Monitor, error) {
	return getMonitor(ctx, s.pool, id)
}

func getMonitor(ctx context.Context, q db, id string) (*store.Monitor, error) {
	m := &store.Monitor{}
	err := q.QueryRow(ctx, `SELECT id, type, name, body FROM monitors WHERE id = $1`, id).
		Scan(&m.ID, &m.Type, &m.Name, &m.Body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.NotFound("monitor", id)
	}
	if err != nil {
		return nil, err
	}
	return m, nil
}

// ListMonitors returns every monitor in the list order of the API.
func (s *Store) ListMonitors(ctx context.Context) ([]*store.Monitor, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, type, name, body FROM monitors ORDER BY `+monitorOrder)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*store.Monitor{}
	for rows.Next() {
		m := &store.Monitor{}
		if err := rows.Scan(&m.ID, &m.Type, &m.Name, &m.Body); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// UpdateMonitor replaces a monitor's definition; its creation order (the
// tie-break of equal names) stays.
func (s *Store) UpdateMonitor(ctx context.Context, m *store.Monitor) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE monitors SET type = $1, name = $2, body = $3 WHERE id = $4`,
			m.Type, m.Name, m.Body, m.ID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.NotFound("monitor", m.ID)
		}
		return nil
	})
}

// DeleteMonitor removes a monitor with its evaluation state (states and
// cursor) and returns it as it was. Its alerts stay, for the engine to
// close in the same transaction.
func (t *txn) DeleteMonitor(ctx context.Context, id string) (*store.Monitor, error) {
	m, err := getMonitor(ctx, t.tx, id)
	if err != nil {
		return nil, err
	}
	for _, q := range []string{
		`DELETE FROM monitor_states WHERE monitor_id = $1`,
		`DELETE FROM evaluation_cursors WHERE monitor_id = $1`,
		`DELETE FROM monitors WHERE id = $1`,
	} {
		if _, err := t.tx.Exec(ctx, q, id); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// ServiceMonitorIDs returns the monitors bound to a service (service and
// external monitors name one in their definition).
func (t *txn) ServiceMonitorIDs(ctx context.Context, service string) ([]string, error) {
	rows, err := t.tx.Query(ctx, `SELECT id FROM monitors WHERE type IN ('service', 'external')
		AND convert_from(body, 'UTF8')::jsonb ->> 'service' = $1 ORDER BY seq`, service)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
