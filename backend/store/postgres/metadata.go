package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

// metadataKey is the (kind, owner) columns of a metadata owner.
func metadataKey(o store.MetadataOwner) (kind, owner string) {
	switch {
	case o.HostID != "":
		return "host", o.HostID
	case o.Role != "":
		return "role", o.Service + ":" + o.Role
	default:
		return "service", o.Service
	}
}

// checkOwner verifies the owner exists. For hosts, write=true rejects
// retired hosts and reads are refused a week after retirement.
func (s *Store) checkOwner(ctx context.Context, q db, o store.MetadataOwner, write bool) error {
	switch {
	case o.HostID != "":
		var retired bool
		var retiredAt int64
		err := q.QueryRow(ctx, `SELECT is_retired, COALESCE(retired_at, 0) FROM hosts WHERE id = $1`, o.HostID).Scan(&retired, &retiredAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.NotFound("host", o.HostID)
		}
		if err != nil {
			return err
		}
		if retired && (write || s.now().Unix()-retiredAt > store.RetiredMetadataReadWindow) {
			return store.Retired(o.HostID)
		}
		return nil
	case o.Role != "":
		_, err := getRole(ctx, q, o.Service, o.Role)
		return err
	default:
		_, err := getService(ctx, q, o.Service)
		return err
	}
}

// GetMetadata returns a namespace's value and its last update (epoch s).
func (s *Store) GetMetadata(ctx context.Context, o store.MetadataOwner, namespace string) ([]byte, int64, error) {
	if err := s.checkOwner(ctx, s.pool, o, false); err != nil {
		return nil, 0, err
	}
	kind, owner := metadataKey(o)
	var value []byte
	var updated int64
	err := s.pool.QueryRow(ctx, `SELECT value, updated_at FROM metadata WHERE kind = $1 AND owner = $2 AND namespace = $3`,
		kind, owner, namespace).Scan(&value, &updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, store.NotFound("metadata", namespace)
	}
	return value, updated, err
}

// PutMetadata stores a namespace's value, within the owner's quota.
func (s *Store) PutMetadata(ctx context.Context, o store.MetadataOwner, namespace string, value []byte) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if err := s.checkOwner(ctx, tx, o, true); err != nil {
			return err
		}
		kind, owner := metadataKey(o)
		var exists bool
		var count int
		if err := tx.QueryRow(ctx, `SELECT COALESCE(bool_or(namespace = $1), FALSE), count(*) FROM metadata WHERE kind = $2 AND owner = $3`,
			namespace, kind, owner).Scan(&exists, &count); err != nil {
			return err
		}
		if !exists && count >= store.MetadataQuota[kind] {
			return &store.Error{Kind: store.KindLimit, Resource: "metadata", ID: namespace,
				Message: fmt.Sprintf("a %s can have at most %d metadata namespaces", kind, store.MetadataQuota[kind])}
		}
		_, err := tx.Exec(ctx, `INSERT INTO metadata (kind, owner, namespace, value, updated_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (kind, owner, namespace) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			kind, owner, namespace, value, s.now().Unix())
		return err
	})
}

// DeleteMetadata removes a namespace.
func (s *Store) DeleteMetadata(ctx context.Context, o store.MetadataOwner, namespace string) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if err := s.checkOwner(ctx, tx, o, true); err != nil {
			return err
		}
		kind, owner := metadataKey(o)
		tag, err := tx.Exec(ctx, `DELETE FROM metadata WHERE kind = $1 AND owner = $2 AND namespace = $3`, kind, owner, namespace)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.NotFound("metadata", namespace)
		}
		return nil
	})
}

// ListMetadata returns the owner's namespaces by name.
func (s *Store) ListMetadata(ctx context.Context, o store.MetadataOwner) ([]string, error) {
	if err := s.checkOwner(ctx, s.pool, o, false); err != nil {
		return nil, err
	}
	kind, owner := metadataKey(o)
	rows, err := s.pool.Query(ctx, `SELECT namespace FROM metadata WHERE kind = $1 AND owner = $2 ORDER BY namespace`, kind, owner)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []string{}
	}
	return out, nil
}
