package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mkr-dev/mkr/backend/store"
)

const hostColumns = `h.id, h.name, h.display_name, COALESCE(h.custom_identifier, ''), h.size, h.status,
	h.memo, h.meta, h.interfaces, h.checks, h.is_retired, COALESCE(h.retired_at, 0), h.created_at, h.status_changed_at`

// hostColumnsSkipMeta is hostColumns with '{}' for meta
// (HostFilter.SkipMeta): an agent's meta is most of a host's bytes, in
// overflow pages (SQLite) or TOAST (PostgreSQL) a walk need not read.
// PostgreSQL's literal is typed as the column is.
func hostColumnsSkipMeta(d Dialect) string {
	empty := `'{}'`
	if d == Postgres {
		empty = `'{}'::bytea`
	}
	return strings.Replace(hostColumns, "h.meta", empty, 1)
}

// scanHost reads a row of hostColumns, after the extra columns a query
// puts first.
func scanHost(row Row, extra ...any) (*store.Host, error) {
	var h store.Host
	dest := append(extra[:len(extra):len(extra)], &h.ID, &h.Name, &h.DisplayName, &h.CustomIdentifier, &h.Size, &h.Status,
		&h.Memo, &h.Meta, &h.Interfaces, &h.Checks, &h.IsRetired, &h.RetiredAt, &h.CreatedAt, &h.StatusChangedAt)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	h.Roles = map[string][]string{}
	return &h, nil
}

// CreateHost stores a new host, creating any service, role or check
// monitor it names.
func (c Core) CreateHost(ctx context.Context, in store.NewHost) (string, error) {
	id := store.NewID()
	err := c.E.WriteTx(ctx, func(q Q) error {
		if in.CustomIdentifier != "" {
			if err := checkCustomIdentifierFree(ctx, q, in.CustomIdentifier, ""); err != nil {
				return err
			}
		}
		now := c.Now().Unix()
		_, err := q.Exec(ctx, `INSERT INTO hosts
			(id, name, display_name, custom_identifier, status, memo, meta, interfaces, checks, created_at, status_changed_at)
			VALUES (?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?, ?, ?, ?)`,
			id, in.Name, in.DisplayName, in.CustomIdentifier, in.Status, in.Memo,
			orDefault(in.Meta, "{}"), orDefault(in.Interfaces, "[]"), orDefault(in.Checks, "[]"), now, now)
		if err != nil {
			return err
		}
		if err := EnsureHostCheckMonitors(ctx, q, in.Checks); err != nil {
			return err
		}
		return addHostRoles(ctx, q, id, in.Roles, now)
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// checkCustomIdentifierFree enforces org-wide uniqueness among live hosts
// (a rule over live hosts only, so not a unique index; the one writer of
// SQLite and PostgreSQL's SERIALIZABLE make the check and the write one
// step).
func checkCustomIdentifierFree(ctx context.Context, q Q, ci, exceptID string) error {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM hosts
		WHERE custom_identifier = ? AND NOT is_retired AND id <> ?`, ci, exceptID).Scan(&n)
	if err != nil {
		return err
	}
	if n > 0 {
		return &store.Error{Kind: store.KindConflict, Resource: "host", ID: ci,
			Message: fmt.Sprintf("customIdentifier %q is already used by another host", ci)}
	}
	return nil
}

// addHostRoles creates missing services and roles and links them to the
// host: one statement a table whatever the number of roles (a round trip
// each on PostgreSQL), rows already there left as they are.
func addHostRoles(ctx context.Context, q Q, hostID string, roles []store.RoleRef, now int64) error {
	if len(roles) == 0 {
		return nil
	}
	var services, pairs []string
	var serviceArgs, roleArgs, linkArgs []any
	seenService, seenRole := map[string]bool{}, map[store.RoleRef]bool{}
	for _, r := range roles {
		if !seenService[r.Service] {
			seenService[r.Service] = true
			services = append(services, "(?, ?)")
			serviceArgs = append(serviceArgs, r.Service, now)
		}
		if !seenRole[r] {
			seenRole[r] = true
			pairs = append(pairs, "(?, ?, ?)")
			roleArgs = append(roleArgs, r.Service, r.Role, now)
			linkArgs = append(linkArgs, hostID, r.Service, r.Role)
		}
	}
	if _, err := q.Exec(ctx, `INSERT INTO services (name, created_at) VALUES `+strings.Join(services, ", ")+
		` ON CONFLICT DO NOTHING`, serviceArgs...); err != nil {
		return err
	}
	if _, err := q.Exec(ctx, `INSERT INTO roles (service, name, created_at) VALUES `+strings.Join(pairs, ", ")+
		` ON CONFLICT DO NOTHING`, roleArgs...); err != nil {
		return err
	}
	_, err := q.Exec(ctx, `INSERT INTO host_roles (host_id, service, role) VALUES `+strings.Join(pairs, ", ")+
		` ON CONFLICT DO NOTHING`, linkArgs...)
	return err
}

// GetHost returns a host by id, retired or not.
func (c Core) GetHost(ctx context.Context, id string) (*store.Host, error) {
	return c.oneHost(ctx, `h.id = ?`, id, id)
}

// oneHost reads the host cond selects (the oldest when several do) with
// its roles; KindNotFound naming notFoundID when none.
func (c Core) oneHost(ctx context.Context, cond, notFoundID string, args ...any) (*store.Host, error) {
	r := c.E.Reader()
	h, err := scanHost(r.QueryRow(ctx, `SELECT `+hostColumns+` FROM hosts h WHERE `+cond+`
		ORDER BY h.created_at, h.`+r.Dialect().Order()+` LIMIT 1`, args...))
	if errors.Is(err, ErrNoRows) {
		return nil, store.NotFound("host", notFoundID)
	}
	if err != nil {
		return nil, err
	}
	if err := loadRoles(ctx, r, map[string]*store.Host{h.ID: h}, []string{h.ID}); err != nil {
		return nil, err
	}
	return h, nil
}

// HostExists returns ErrNotFound unless a host (retired or not) has id; it
// reads one row instead of the whole host with its roles.
func (c Core) HostExists(ctx context.Context, id string) error {
	var one int
	err := c.E.Reader().QueryRow(ctx, `SELECT 1 FROM hosts WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, ErrNoRows) {
		return store.NotFound("host", id)
	}
	return err
}

// FindHostByCustomIdentifier returns the oldest live host with that custom
// identifier, optionally compared case-insensitively.
func (c Core) FindHostByCustomIdentifier(ctx context.Context, ci string, caseInsensitive bool) (*store.Host, error) {
	cond := `NOT h.is_retired AND h.custom_identifier = ?`
	if caseInsensitive {
		cond = `NOT h.is_retired AND LOWER(h.custom_identifier) = LOWER(?)`
	}
	return c.oneHost(ctx, cond, ci, ci)
}

// loadRoles fills Roles of the hosts of ids, each service's roles sorted.
// It reads host_roles alone, in its primary key's order (host, service,
// role), so the database neither joins nor sorts.
func loadRoles(ctx context.Context, q Q, byID map[string]*store.Host, ids []string) error {
	in, args := q.Dialect().InStrings("host_id", ids)
	rows, err := q.Query(ctx, `SELECT host_id, service, role FROM host_roles
		WHERE `+in+` ORDER BY host_id, service, role`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, svc, role string
		if err := rows.Scan(&id, &svc, &role); err != nil {
			return err
		}
		if h := byID[id]; h != nil {
			h.Roles[svc] = append(h.Roles[svc], role)
		}
	}
	return rows.Err()
}
