package sqlstore

import (
	"context"
	"errors"
	"sort"
	"strings"

	"github.com/mkr-dev/mkr/backend/store"
)

// UpdateHost applies ch to a live host. Roles in AddRoles are added; the
// host keeps its other roles.
func (c Core) UpdateHost(ctx context.Context, id string, ch store.HostChanges) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		if err := requireLiveHosts(ctx, q, []string{id}); err != nil {
			return err
		}
		if ch.CustomIdentifier != nil && *ch.CustomIdentifier != "" {
			if err := checkCustomIdentifierFree(ctx, q, *ch.CustomIdentifier, id); err != nil {
				return err
			}
		}
		var sets []string
		var args []any
		add := func(expr string, v any) { sets = append(sets, expr); args = append(args, v) }
		if ch.Name != nil {
			add("name = ?", *ch.Name)
		}
		if ch.DisplayName != nil {
			add("display_name = ?", *ch.DisplayName)
		}
		if ch.CustomIdentifier != nil {
			add("custom_identifier = NULLIF(?, '')", *ch.CustomIdentifier)
		}
		if ch.Memo != nil {
			add("memo = ?", *ch.Memo)
		}
		if ch.Meta != nil {
			add("meta = ?", orDefault(ch.Meta, "{}"))
		}
		if ch.Interfaces != nil {
			add("interfaces = ?", orDefault(ch.Interfaces, "[]"))
		}
		if ch.Checks != nil {
			add("checks = ?", orDefault(ch.Checks, "[]"))
		}
		if len(sets) > 0 {
			args = append(args, id)
			if _, err := q.Exec(ctx, `UPDATE hosts SET `+strings.Join(sets, ", ")+` WHERE id = ?`, args...); err != nil {
				return err
			}
		}
		if err := EnsureHostCheckMonitors(ctx, q, ch.Checks); err != nil {
			return err
		}
		return addHostRoles(ctx, q, id, ch.AddRoles, c.Now().Unix())
	})
}

// requireLiveHosts fails with ErrNotFound naming every unknown id, or
// ErrRetired when one is retired.
func requireLiveHosts(ctx context.Context, q Q, ids []string) error {
	in, args := q.Dialect().InStrings("id", ids)
	rows, err := q.Query(ctx, `SELECT id, is_retired FROM hosts WHERE `+in, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	found := map[string]bool{}
	var retired []string
	for rows.Next() {
		var id string
		var r bool
		if err := rows.Scan(&id, &r); err != nil {
			return err
		}
		found[id] = true
		if r {
			retired = append(retired, id)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var missing []string
	for _, id := range ids {
		if !found[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return store.NotFound("host", strings.Join(missing, ", "))
	}
	if len(retired) > 0 {
		sort.Strings(retired)
		return store.Retired(retired...)
	}
	return nil
}

// SetHostStatus sets the status of every host in ids, or of none when one
// is unknown or retired; the hosts whose status it changes record now as
// their status_changed_at.
func (c Core) SetHostStatus(ctx context.Context, ids []string, status string) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		if err := requireLiveHosts(ctx, q, ids); err != nil {
			return err
		}
		// Hosts already in status are left alone: re-sending a status is
		// not a change, and must not reset how long a host has been in it.
		in, idArgs := q.Dialect().InStrings("id", ids)
		_, err := q.Exec(ctx, `UPDATE hosts SET status = ?, status_changed_at = ?
			WHERE status <> ? AND `+in, append([]any{status, c.Now().Unix(), status}, idArgs...)...)
		return err
	})
}

// SetHostRoles replaces the host's role set.
func (c Core) SetHostRoles(ctx context.Context, id string, roles []store.RoleRef) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		if err := requireLiveHosts(ctx, q, []string{id}); err != nil {
			return err
		}
		if _, err := q.Exec(ctx, `DELETE FROM host_roles WHERE host_id = ?`, id); err != nil {
			return err
		}
		return addHostRoles(ctx, q, id, roles, c.Now().Unix())
	})
}

// RetireHosts marks the live hosts among ids retired, or none when one is
// unknown. Closing their alerts is the engine's rule (engine.RetireHosts).
func (t *Tx) RetireHosts(ctx context.Context, ids []string, retiredAt int64) error {
	return RetireHosts(ctx, t.Q, ids, retiredAt)
}

// RetireHosts is Tx.RetireHosts inside q.
func RetireHosts(ctx context.Context, q Q, ids []string, retiredAt int64) error {
	if err := requireLiveHosts(ctx, q, ids); err != nil && !errors.Is(err, store.ErrRetired) {
		return err
	}
	in, idArgs := q.Dialect().InStrings("id", ids)
	_, err := q.Exec(ctx, `UPDATE hosts SET is_retired = TRUE, retired_at = ?
		WHERE NOT is_retired AND `+in, append([]any{retiredAt}, idArgs...)...)
	return err
}
