package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// MetadataOwner is a host, a service, or a role.
type MetadataOwner struct {
	HostID  string
	Service string
	Role    string
}

func (o MetadataOwner) key() (kind, owner string) {
	switch {
	case o.HostID != "":
		return "host", o.HostID
	case o.Role != "":
		return "role", o.Service + ":" + o.Role
	default:
		return "service", o.Service
	}
}

// Metadata limits per owner, as the hosted API enforces them.
var metadataQuota = map[string]int{"host": 50, "service": 50, "role": 10}

// RetiredMetadataReadWindow is how long a retired host's metadata stays readable.
const RetiredMetadataReadWindow = 7 * 24 * 60 * 60

// checkOwner verifies the owner exists. For hosts, write=true rejects
// retired hosts and reads are refused a week after retirement.
func (s *Store) checkOwner(ctx context.Context, q querier, o MetadataOwner, write bool) error {
	switch {
	case o.HostID != "":
		var retired bool
		var retiredAt int64
		err := q.QueryRowContext(ctx, `SELECT is_retired, COALESCE(retired_at, 0) FROM hosts WHERE id = ?`, o.HostID).Scan(&retired, &retiredAt)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: host %s", ErrNotFound, o.HostID)
		}
		if err != nil {
			return err
		}
		if retired && (write || s.now().Unix()-retiredAt > RetiredMetadataReadWindow) {
			return fmt.Errorf("%w: %s", ErrRetired, o.HostID)
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
func (s *Store) GetMetadata(ctx context.Context, o MetadataOwner, namespace string) ([]byte, int64, error) {
	if err := s.checkOwner(ctx, s.read, o, false); err != nil {
		return nil, 0, err
	}
	kind, owner := o.key()
	var value []byte
	var updated int64
	err := s.read.QueryRowContext(ctx, `SELECT value, updated_at FROM metadata WHERE kind = ? AND owner = ? AND namespace = ?`,
		kind, owner, namespace).Scan(&value, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, fmt.Errorf("%w: metadata %s", ErrNotFound, namespace)
	}
	return value, updated, err
}

// PutMetadata stores a namespace's value, within the owner's quota.
func (s *Store) PutMetadata(ctx context.Context, o MetadataOwner, namespace string, value []byte) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkOwner(ctx, tx, o, true); err != nil {
			return err
		}
		kind, owner := o.key()
		var exists, count int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(namespace = ?), 0), COUNT(*) FROM metadata WHERE kind = ? AND owner = ?`,
			namespace, kind, owner).Scan(&exists, &count); err != nil {
			return err
		}
		if exists == 0 && count >= metadataQuota[kind] {
			return fmt.Errorf("%w: a %s can have at most %d metadata namespaces", ErrLimit, kind, metadataQuota[kind])
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO metadata (kind, owner, namespace, value, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (kind, owner, namespace) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			kind, owner, namespace, value, s.now().Unix())
		return err
	})
}

// DeleteMetadata removes a namespace.
func (s *Store) DeleteMetadata(ctx context.Context, o MetadataOwner, namespace string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkOwner(ctx, tx, o, true); err != nil {
			return err
		}
		kind, owner := o.key()
		res, err := tx.ExecContext(ctx, `DELETE FROM metadata WHERE kind = ? AND owner = ? AND namespace = ?`, kind, owner, namespace)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: metadata %s", ErrNotFound, namespace)
		}
		return nil
	})
}

// ListMetadata returns the owner's namespaces by name.
func (s *Store) ListMetadata(ctx context.Context, o MetadataOwner) ([]string, error) {
	if err := s.checkOwner(ctx, s.read, o, false); err != nil {
		return nil, err
	}
	kind, owner := o.key()
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
