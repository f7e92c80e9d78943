package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

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
	err = s.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO api_keys (id, name, key_hash, read_only, created_at) VALUES ($1, $2, $3, $4, $5)`,
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
	rows, err := s.pool.Query(ctx, `SELECT id, name, read_only, created_at, COALESCE(revoked_at, 0) FROM api_keys ORDER BY created_at, seq`)
	if err != nil {
		return nil, err
	}
	out := []*store.APIKey{}
	var k store.APIKey
	_, err = pgx.ForEachRow(rows, []any{&k.ID, &k.Name, &k.ReadOnly, &k.CreatedAt, &k.RevokedAt}, func() error {
		c := k
		out = append(out, &c)
		return nil
	})
	return out, err
}

// RevokeAPIKey revokes a key by id; revoking twice is an error.
func (s *Store) RevokeAPIKey(ctx context.Context, id string) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, s.now().Unix(), id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return &store.Error{Kind: store.KindNotFound, Resource: "API key", ID: id,
				Message: "no active API key with id " + id}
		}
		return nil
	})
}

// LookupAPIKey returns the active key matching key, or an error wrapping
// auth.ErrUnknownKey. It reads the database every time: a key revoked on
// another replica stops working at once.
func (s *Store) LookupAPIKey(ctx context.Context, key string) (*store.APIKey, error) {
	var k store.APIKey
	err := s.pool.QueryRow(ctx, `SELECT id, name, read_only, created_at FROM api_keys
		WHERE key_hash = $1 AND revoked_at IS NULL`, auth.HashKey(key)).Scan(&k.ID, &k.Name, &k.ReadOnly, &k.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
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
	err := s.pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE revoked_at IS NULL) FROM api_keys`).Scan(&c.Ever, &c.Active)
	return c, err
}
