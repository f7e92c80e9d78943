package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/internal/hostchecks"
)

// ensureCheckMonitor returns the id of the check monitor called name,
// creating it if needed.
func ensureCheckMonitor(ctx context.Context, tx *sql.Tx, name string) (string, error) {
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM check_monitors WHERE name = ?`, name).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	id = store.NewID()
	_, err = tx.ExecContext(ctx, `INSERT INTO check_monitors (id, name) VALUES (?, ?)`, id, name)
	return id, err
}

// ensureHostCheckMonitors creates the monitors a host's checks list names.
func ensureHostCheckMonitors(ctx context.Context, tx *sql.Tx, checks []byte) error {
	if len(checks) == 0 {
		return nil
	}
	var list []struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(checks, &list); err != nil {
		return nil // validated by the HTTP layer; nothing to create
	}
	for _, c := range list {
		if _, err := ensureCheckMonitor(ctx, tx, c.Name); err != nil {
			return err
		}
	}
	return nil
}

// ListCheckMonitors returns check monitors by ascending id, starting at
// nextID (inclusive); next starts the following page.
func (s *Store) ListCheckMonitors(ctx context.Context, nextID string, limit int) (list []store.CheckMonitor, next string, err error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, name FROM check_monitors WHERE id >= ? ORDER BY id LIMIT ?`, nextID, limit+1)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	list = []store.CheckMonitor{}
	for rows.Next() {
		var m store.CheckMonitor
		if err := rows.Scan(&m.ID, &m.Name); err != nil {
			return nil, "", err
		}
		list = append(list, m)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(list) > limit {
		next = list[limit].ID
		list = list[:limit]
	}
	return list, next, nil
}

// GetCheckMonitor returns one check monitor.
func (s *Store) GetCheckMonitor(ctx context.Context, id string) (*store.CheckMonitor, error) {
	var m store.CheckMonitor
	err := s.read.QueryRowContext(ctx, `SELECT id, name FROM check_monitors WHERE id = ?`, id).Scan(&m.ID, &m.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.NotFound("check monitor", id)
	}
	return &m, err
}

// MonitoredStatuses returns the latest check results of a host.
func (s *Store) MonitoredStatuses(ctx context.Context, hostID string) ([]store.MonitoredStatus, error) {
	var checks []byte
	err := s.read.QueryRowContext(ctx, `SELECT checks FROM hosts WHERE id = ?`, hostID).Scan(&checks)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.NotFound("host", hostID)
	}
	if err != nil {
		return nil, err
	}
	memos := hostchecks.Memos(checks)
	rows, err := s.read.QueryContext(ctx, `SELECT cs.monitor_id, cm.name, cs.status, cs.message FROM check_states cs
		JOIN check_monitors cm ON cm.id = cs.monitor_id WHERE cs.host_id = ? ORDER BY cm.name`, hostID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.MonitoredStatus{}
	for rows.Next() {
		var m store.MonitoredStatus
		var name string
		if err := rows.Scan(&m.MonitorID, &name, &m.Status, &m.Message); err != nil {
			return nil, err
		}
		m.Memo = memos[name]
		out = append(out, m)
	}
	return out, rows.Err()
}
