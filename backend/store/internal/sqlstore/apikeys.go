package sqlstore

import (
	"context"
	"errors"

	"github.com/mkr-dev/mkr/backend/auth"
	"github.com/mkr-dev/mkr/backend/store"
)

// CreateAPIKey makes a new random key and returns its record and the key.
func (c Core) CreateAPIKey(ctx context.Context, name string, readOnly bool) (*store.APIKey, string, error) {
	key, hash, err := auth.NewKey()
	if err != nil {
		return nil, "", err
	}
	k := &store.APIKey{ID: store.NewID(), Name: name, ReadOnly: readOnly, CreatedAt: c.Now().Unix()}
	err = c.E.WriteTx(ctx, func(q Q) error {
		_, err := q.Exec(ctx, `INSERT INTO api_keys (id, name, key_hash, read_only, created_at) VALUES (?, ?, ?, ?, ?)`,
			k.ID, k.Name, hash, k.ReadOnly, k.CreatedAt)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return k, key, nil
}

// ListAPIKeys returns every key, revoked ones included, oldest first.
func (c Core) ListAPIKeys(ctx context.Context) ([]*store.APIKey, error) {
	r := c.E.Reader()
	rows, err := r.Query(ctx, `SELECT id, name, read_only, created_at, COALESCE(revoked_at, 0) FROM api_keys
		ORDER BY created_at, `+r.Dialect().Order())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*store.APIKey{}
	for rows.Next() {
		var k store.APIKey
		if err := rows.Scan(&k.ID, &k.Name, &k.ReadOnly, &k.CreatedAt, &k.RevokedAt); err != nil {
			return nil, err
		}
		out = append(out, &k)
	}
	return out, rows.Err()
}

// RevokeAPIKey revokes a key by id; revoking twice is an error.
func (c Core) RevokeAPIKey(ctx context.Context, id string) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		n, err := q.Exec(ctx, `UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, c.Now().Unix(), id)
		if err != nil {
			return err
		}
		if n == 0 {
			return &store.Error{Kind: store.KindNotFound, Resource: "API key", ID: id,
				Message: "no active API key with id " + id}
		}
		return nil
	})
}

// LookupAPIKey returns the active key matching key, or an error wrapping
// auth.ErrUnknownKey. It reads the database every time: a key revoked on
// another replica stops working at once.
func (c Core) LookupAPIKey(ctx context.Context, key string) (*store.APIKey, error) {
	var k store.APIKey
	err := c.E.Reader().QueryRow(ctx, `SELECT id, name, read_only, created_at FROM api_keys
		WHERE key_hash = ? AND revoked_at IS NULL`, auth.HashKey(key)).Scan(&k.ID, &k.Name, &k.ReadOnly, &k.CreatedAt)
	if errors.Is(err, ErrNoRows) {
		return nil, &store.Error{Kind: store.KindNotFound, Resource: "API key", Message: auth.ErrUnknownKey.Error(), Err: auth.ErrUnknownKey}
	}
	if err != nil {
		return nil, err
	}
	return &k, nil
}

// CountAPIKeys counts the keys that are not revoked and all keys ever made.
func (c Core) CountAPIKeys(ctx context.Context) (auth.KeyCounts, error) {
	var k auth.KeyCounts
	err := c.E.Reader().QueryRow(ctx, `SELECT COUNT(*), COUNT(*) FILTER (WHERE revoked_at IS NULL) FROM api_keys`).Scan(&k.Ever, &k.Active)
	return k, err
}
