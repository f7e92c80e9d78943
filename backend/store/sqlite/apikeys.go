package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/mkr-dev/mkr/backend/auth"
	"github.com/mkr-dev/mkr/backend/store"
)

// CreateAPIKey makes a new random key and returns its record and the key.
func (s *Store) CreateAPIKey(ctx context.Context, name string, readOnly bool) (*store.APIKey, string, error) {
	key, hash, err := auth.NewKey()
	if err != nil {
		return nil, "", err
	}
	k := &store.APIKey{ID: store.NewID(), Name: name, ReadOnly: readOnly, CreatedAt: s.now().Unix()}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO api_keys (id, name, key_hash, read_only, created_at) VALUES (?, ?, ?, ?, ?)`,
			k.ID, k.Name, hash, k.ReadOnly, k.CreatedAt)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return k, key, nil
}

// ListAPIKeys returns every key, revoked ones included, oldest first.
func (s *Store) ListAPIKeys(ctx context.Context) ([]*store.APIKey, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, name, read_only, created_at, COALESCE(revoked_at, 0) FROM api_keys ORDER BY created_at, rowid`)
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
func (s *Store) RevokeAPIKey(ctx context.Context, id string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, s.now().Unix(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &store.Error{Kind: store.KindNotFound, Resource: "API key", ID: id,
				Message: "no active API key with id " + id}
		}
		return nil
	})
}

// LookupAPIKey returns the active key matching key, or ErrNotFound.
func (s *Store) LookupAPIKey(ctx context.Context, key string) (*store.APIKey, error) {
	var k store.APIKey
	err := s.read.QueryRowContext(ctx, `SELECT id, name, read_only, created_at FROM api_keys
		WHERE key_hash = ? AND revoked_at IS NULL`, auth.HashKey(key)).Scan(&k.ID, &k.Name, &k.ReadOnly, &k.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &store.Error{Kind: store.KindNotFound, Resource: "API key", Message: auth.ErrUnknownKey.Error(), Err: auth.ErrUnknownKey}
	}
	if err != nil {
		return nil, err
	}
	return &k, nil
}

// CountAPIKeys counts the keys that are not revoked and all keys ever made.
func (s *Store) CountAPIKeys(ctx context.Context) (auth.KeyCounts, error) {
	var c auth.KeyCounts
	err := s.read.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(revoked_at IS NULL), 0) FROM api_keys`).Scan(&c.Ever, &c.Active)
	return c, err
}
