package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// monitorOrder sorts rows by type in the order of monitor.Types (unknown
// types last), then by name, then by creation.
var monitorOrder = func() string {
	var b strings.Builder
	b.WriteString("CASE type")
	for i, t := range monitor.Types {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", t, i)
	}
	fmt.Fprintf(&b, " ELSE %d END, name, seq", len(monitor.Types))
	return b.String()
}()

// CreateMonitor stores a new monitor; m.ID is the caller's (store.NewID).
func (s *Store) CreateMonitor(ctx context.Context, m *store.Monitor) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		seq, err := nextSeq(ctx, tx, "monitors")
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO monitors (id, seq, type, name, body) VALUES (?, ?, ?, ?, ?)`,
			m.ID, seq, m.Type, m.Name, m.Body)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &store.Error{Kind: store.KindConflict, Resource: "monitor", ID: m.ID,
				Message: "monitor " + m.ID + " already exists"}
		}
		return nil
	})
}

// GetMonitor returns one monitor (KindNotFound when none).
func (s *Store) GetMonitor(ctx context.Context, id string) (*store.Monitor, error) {
	return getMonitor(ctx, s.read, id)
}

func getMonitor(ctx context.Context, q querier, id string) (*store.Monitor, error) {
	m := &store.Monitor{}
	err := q.QueryRowContext(ctx, `SELECT id, type, name, body FROM monitors WHERE id = ?`, id).
		Scan(&m.ID, &m.Type, &m.Name, &m.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.NotFound("monitor", id)
	}
	if err != nil {
		return nil, err
	}
	return m, nil
}

// ListMonitors returns every monitor in the list order of the API.
func (s *Store) ListMonitors(ctx context.Context) ([]*store.Monitor, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, type, name, body FROM monitors ORDER BY `+monitorOrder)
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
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE monitors SET type = ?, name = ?, body = ? WHERE id = ?`,
			m.Type, m.Name, m.Body, m.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
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
		`DELETE FROM monitor_states WHERE monitor_id = ?`,
		`DELETE FROM evaluation_cursors WHERE monitor_id = ?`,
		`DELETE FROM monitors WHERE id = ?`,
	} {
		if _, err := t.tx.ExecContext(ctx, q, id); err != nil {
			return nil, err
		}
	}
	return m, nil
}
