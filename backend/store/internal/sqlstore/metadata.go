package sqlstore

import (
	"context"
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
func (c Core) checkOwner(ctx context.Context, q Q, o store.MetadataOwner, write bool) error {
	switch {
	case o.HostID != "":
		var retired bool
		var retiredAt int64
		err := q.QueryRow(ctx, `SELECT is_retired, COALESCE(retired_at, 0) FROM hosts WHERE id = ?`, o.HostID).Scan(&retired, &retiredAt)
		if errors.Is(err, ErrNoRows) {
			return store.NotFound("host", o.HostID)
		}
		if err != nil {
			return err
		}
		if retired && (write || c.Now().Unix()-retiredAt > store.RetiredMetadataReadWindow) {
			return store.Retired(o.HostID)
		}
		return nil
	case o.Role != "":
		_, err := getRole(ctx, q, o.Service, o.Role)
		return err
	default:
		_, err := GetService(ctx, q, o.Service)
		return err
	}
}

// GetMetadata returns a namespace's value and its last update (epoch s).
func (c Core) GetMetadata(ctx context.Context, o store.MetadataOwner, namespace string) ([]byte, int64, error) {
	r := c.E.Reader()
	if err := c.checkOwner(ctx, r, o, false); err != nil {
		return nil, 0, err
	}
	kind, owner := metadataKey(o)
	var value []byte
	var updated int64
	err := r.QueryRow(ctx, `SELECT value, updated_at FROM metadata WHERE kind = ? AND owner = ? AND namespace = ?`,
		kind, owner, namespace).Scan(&value, &updated)
	if errors.Is(err, ErrNoRows) {
		return nil, 0, store.NotFound("metadata", namespace)
	}
	if err != nil {
		return nil, 0, err
	}
	return value, updated, nil
}

// PutMetadata stores a namespace's value, within the owner's quota.
func (c Core) PutMetadata(ctx context.Context, o store.MetadataOwner, namespace string, value []byte) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		if err := c.checkOwner(ctx, q, o, true); err != nil {
			return err
		}
		kind, owner := metadataKey(o)
		var exists, count int
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FILTER (WHERE namespace = ?), COUNT(*) FROM metadata WHERE kind = ? AND owner = ?`,
			namespace, kind, owner).Scan(&exists, &count); err != nil {
			return err
		}
		if exists == 0 && count >= store.MetadataQuota[kind] {
			return &store.Error{Kind: store.KindLimit, Resource: "metadata", ID: namespace,
				Message: fmt.Sprintf("a %s can have at most %d metadata namespaces", kind, store.MetadataQuota[kind])}
		}
		_, err := q.Exec(ctx, `INSERT INTO metadata (kind, owner, namespace, value, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (kind, owner, namespace) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			kind, owner, namespace, value, c.Now().Unix())
		return err
	})
}

// DeleteMetadata removes a namespace.
func (c Core) DeleteMetadata(ctx context.Context, o store.MetadataOwner, namespace string) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		if err := c.checkOwner(ctx, q, o, true); err != nil {
			return err
		}
		kind, owner := metadataKey(o)
		n, err := q.Exec(ctx, `DELETE FROM metadata WHERE kind = ? AND owner = ? AND namespace = ?`, kind, owner, namespace)
		return mustAffect(n, err, store.NotFound("metadata", namespace))
	})
}

// ListMetadata returns the owner's namespaces by name.
func (c Core) ListMetadata(ctx context.Context, o store.MetadataOwner) ([]string, error) {
	r := c.E.Reader()
	if err := c.checkOwner(ctx, r, o, false); err != nil {
		return nil, err
	}
	kind, owner := metadataKey(o)
	return listOf(scanString)(r.Query(ctx, `SELECT namespace FROM metadata WHERE kind = ? AND owner = ? ORDER BY namespace`, kind, owner))
}
