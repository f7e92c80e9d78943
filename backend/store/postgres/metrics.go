package postgres

import (
	"context"
	"math"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

// InsertPoints stores points in one transaction; a point at an existing
// (series, time) overwrites the value. Either every point is stored or none.
func (s *Store) InsertPoints(ctx context.Context, points []store.SeriesPoint) error {
	_, err := s.InsertPointsSince(ctx, points, math.MinInt64)
	return err
}

// InsertPointsSince is InsertPoints for the points at or after oldest; the
// older ones and those of retired hosts are dropped and counted. Every
// point's host or service must exist, dropped or not. It is
// InsertPointStream over the points in memory.
func (s *Store) InsertPointsSince(ctx context.Context, points []store.SeriesPoint, oldest int64) (store.InsertResult, error) {
	return s.InsertPointStream(ctx, store.NewSliceStream(points), oldest)
}

// queueTouchHostContacts queues the record of now as the hosts' last
// metric time (what connectivity monitors watch), never moving it back.
func queueTouchHostContacts(b *pgx.Batch, hosts map[string]bool, now int64) {
	if len(hosts) == 0 {
		return
	}
	ids := setKeys(hosts) // sorted: one lock order for concurrent posts
	b.Queue(`INSERT INTO host_contacts (host_id, last_metric_at)
		SELECT h, $2::bigint FROM unnest($1::text[]) AS h
		ON CONFLICT (host_id) DO UPDATE SET last_metric_at = GREATEST(host_contacts.last_metric_at, excluded.last_metric_at)`, ids, now)
}

// ownerCheck fails with ErrNotFound when a series names a host or a
// service that does not exist, and finds the retired hosts among them:
// their points are dropped (the request still succeeds), so that a batch
// mixing live and retired hosts keeps the live hosts' data. Its queries
// ride in the insert's first batch (queueOwnerCheck); result reads them.
//
// A service's row is written (an update that changes nothing): a
// service deleted at the same moment then either is gone for the insert
// (not found) or, when the insert commits first, finds its row updated by
// a transaction its snapshot did not see, a serialization failure its
// retry resolves with a snapshot that has the insert's new series, which
// it deletes too. Only locking the row (FOR KEY SHARE, as before) made the
// delete wait for the insert and then delete the service but not the
// series it could not see (TestDeleteServiceDuringIngest). Hosts are
// never deleted (only retired, which the check reads), so their rows are
// not written: that would write to every agent's post.
type ownerCheck struct {
	hosts, services []string
	found, retired  map[string]bool
}

func queueOwnerCheck(b *pgx.Batch, keys []store.SeriesKey) *ownerCheck {
	hostSet, serviceSet := map[string]bool{}, map[string]bool{}
	for _, k := range keys {
		if k.Kind == "host" {
			hostSet[k.Owner] = true
		} else {
			serviceSet[k.Owner] = true
		}
	}
	c := &ownerCheck{hosts: setKeys(hostSet), services: setKeys(serviceSet), found: map[string]bool{}, retired: map[string]bool{}}
	if len(c.hosts) > 0 {
		b.Queue(`SELECT id, is_retired FROM hosts WHERE id = ANY($1)`, c.hosts).Query(func(rows pgx.Rows) error {
			var id string
			var isRetired bool
			_, err := pgx.ForEachRow(rows, []any{&id, &isRetired}, func() error {
				c.found["host "+id] = true
				if isRetired {
					c.retired[id] = true
				}
				return nil
			})
			return err
		})
	}
	if len(c.services) > 0 {
		b.Queue(`UPDATE services SET name = name WHERE name = ANY($1) RETURNING name`, c.services).Query(func(rows pgx.Rows) error {
			var name string
			_, err := pgx.ForEachRow(rows, []any{&name}, func() error {
				c.found["service "+name] = true
				return nil
			})
			return err
		})
	}
	return c
}

// result returns the retired hosts, or ErrNotFound naming every missing
// owner.
func (c *ownerCheck) result() (retired map[string]bool, err error) {
	var missing []string
	for _, h := range c.hosts {
		if !c.found["host "+h] {
			missing = append(missing, "host "+h)
		}
	}
	for _, n := range c.services {
		if !c.found["service "+n] {
			missing = append(missing, "service "+n)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, &store.Error{Kind: store.KindNotFound, Message: strings.Join(missing, ", ")}
	}
	return c.retired, nil
}

func setKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// DeleteServiceMetrics removes a service's series whose names match (their
// points go with them: ON DELETE CASCADE).
func (s *Store) DeleteServiceMetrics(ctx context.Context, service string, match func(name string) bool) (int, error) {
	deleted := 0
	err := s.tx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, name FROM series WHERE kind = 'service' AND owner = $1`, service)
		if err != nil {
			return err
		}
		var ids []int64
		var id int64
		var name string
		if _, err := pgx.ForEachRow(rows, []any{&id, &name}, func() error {
			if match(name) {
				ids = append(ids, id)
			}
			return nil
		}); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM series WHERE id = ANY($1)`, ids); err != nil {
			return err
		}
		deleted = len(ids)
		return nil
	})
	return deleted, err
}
