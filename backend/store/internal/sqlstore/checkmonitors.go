package sqlstore

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

// EnsureCheckMonitor returns the id of the check monitor called name,
// creating it if needed. Hosts create the monitors their checks name
// (EnsureHostCheckMonitors) and check reports do too, so both stores'
// check code calls it.
func EnsureCheckMonitor(ctx context.Context, q Q, name string) (string, error) {
	var id string
	err := q.QueryRow(ctx, `SELECT id FROM check_monitors WHERE name = ?`, name).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, ErrNoRows) {
		return "", err
	}
	id = store.NewID()
	_, err = q.Exec(ctx, `INSERT INTO check_monitors (id, name) VALUES (?, ?)`, id, name)
	return id, err
}

// EnsureHostCheckMonitors creates the monitors a host's checks list names.
func EnsureHostCheckMonitors(ctx context.Context, q Q, checks []byte) error {
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
		if _, err := EnsureCheckMonitor(ctx, q, c.Name); err != nil {
			return err
		}
	}
	return nil
}
