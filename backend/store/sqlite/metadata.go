package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

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
func (s *Store) checkOwner(ctx context.Context, q querier, o store.MetadataOwner, write bool) error {
	switch {
	case o.HostID != "":
		var retired bool
		var retiredAt int64
		err := q.QueryRowContext(ctx, `SELECT is_retired, COALESCE(retired_at, 0) FROM hosts WHERE id = ?`, o.HostID).Scan(&retired, &retiredAt)
		if errors.Is(err, sql.ErrNoRows) {
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
	if err := s.checkOwner(ctx, s.read, o, false); err != nil {
		return nil, 0, err
	}
	kind, owner := metadataKey(o)
	var value []byte
	var updated int64
	err := s.read.QueryRowContext(ctx, `SELECT value, updated_at FROM metadata WHERE kind = ? AND owner = ? AND namespace = ?`,
		kind, owner, namespace).Scan(&value, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, store.NotFound("metadata", namespace)
	}
	return value, updated, err
}

// PutMetadata stores a namespace's value, within the owner's quota.
func (s *Store) PutMetadata(ctx context.Context, o store.MetadataOwner, namespace string, value []byte) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkOwner(ctx, tx, o, true); err != nil {
			return err
		}
		kind, owner := metadataKey(o)
		var exists, count int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(namespace = ?), 0), COUNT(*) FROM metadata WHERE kind = ? AND owner = ?`,
			namespace, kind, owner).Scan(&exists, &count); err != nil {
			return err
		}
		if exists == 0 && count >= store.MetadataQuota[kind] {
			return &store.Error{Kind: store.KindLimit, Resource: "metadata", ID: namespace,
				Message: fmt.Sprintf("a %s can have at most %d metadata namespaces", kind, store.MetadataQuota[kind])}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO metadata (kind, owner, namespace, value, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (kind, owner, namespace) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			kind, owner, namespace, value, s.now().Unix())
		return err
	})
}

// DeleteMetadata removes a namespace.
func (s *Store) DeleteMetadata(ctx context.Context, o store.MetadataOwner, namespace string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkOwner(ctx, tx, o, true); err != nil {
			return err
		}
		kind, owner := metadataKey(o)
		res, err := tx.ExecContext(ctx, `DELETE FROM metadata WHERE kind = ? AND owner = ? AND namespace = ?`, kind, owner, namespace)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.NotFound("metadata", namespace)
		}
		return nil
	})
}

// ListMetadata returns the owner's namespaces by name.
func (s *Store) ListMetadata(ctx context.Context, o store.MetadataOwner) ([]string, error) {
	if err := s.checkOwner(ctx, s.read, o, false); err != nil {
		return nil, err
	}
	kind, owner := metadataKey(o)
	rows, err := s.read.QueryContext(ctx, `SELECT namespace FROM metadata WHERE kind = ? AND owner = ? ORDER BY namespace`, kind, owner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var ns string
		if err := rows.Scan(&ns); err != nil {
			return nil, err
		}
		out = append(out, ns)
	}
	return out, rows.Err()
}
