package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

const hostColumns = `h.id, h.name, h.display_name, COALESCE(h.custom_identifier, ''), h.size, h.status,
	h.memo, h.meta, h.interfaces, h.checks, h.is_retired, COALESCE(h.retired_at, 0), h.created_at, h.status_changed_at`

// hostColumnsSkipMeta is hostColumns without reading meta (HostFilter.SkipMeta).
var hostColumnsSkipMeta = strings.Replace(hostColumns, "h.meta", "'{}'::bytea", 1)

func scanHost(row pgx.Row, extra ...any) (*store.Host, error) {
	var h store.Host
	dest := append(extra, &h.ID, &h.Name, &h.DisplayName, &h.CustomIdentifier, &h.Size, &h.Status,
		&h.Memo, &h.Meta, &h.Interfaces, &h.Checks, &h.IsRetired, &h.RetiredAt, &h.CreatedAt, &h.StatusChangedAt)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	h.Roles = map[string][]string{}
	return &h, nil
}

// CreateHost stores a new host, creating any service, role or check
// monitor it names.
func (s *Store) CreateHost(ctx context.Context, in store.NewHost) (string, error) {
	id := store.NewID()
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if in.CustomIdentifier != "" {
			if err := checkCustomIdentifierFree(ctx, tx, in.CustomIdentifier, ""); err != nil {
				return err
			}
		}
		now := s.now().Unix()
		_, err := tx.Exec(ctx, `INSERT INTO hosts
			(id, name, display_name, custom_identifier, status, memo, meta, interfaces, checks, created_at, status_changed_at)
			VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, $7, $8, $9, $10, $10)`,
			id, in.Name, in.DisplayName, in.CustomIdentifier, in.Status, in.Memo,
			orDefault(in.Meta, "{}"), orDefault(in.Interfaces, "[]"), orDefault(in.Checks, "[]"), now)
		if err != nil {
			return err
		}
		if err := ensureHostCheckMonitors(ctx, tx, in.Checks); err != nil {
			return err
		}
		return addHostRoles(ctx, tx, id, in.Roles, now)
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// checkCustomIdentifierFree enforces org-wide uniqueness among live hosts
// (a rule over live hosts only, so not a unique index; SERIALIZABLE makes
// the check and the write one step).
func checkCustomIdentifierFree(ctx context.Context, tx pgx.Tx, ci, exceptID string) error {
	var taken bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM hosts
		WHERE custom_identifier = $1 AND NOT is_retired AND id <> $2)`, ci, exceptID).Scan(&taken)
	if err != nil {
		return err
	}
	if taken {
		return &store.Error{Kind: store.KindConflict, Resource: "host", ID: ci,
			Message: fmt.Sprintf("customIdentifier %q is already used by another host", ci)}
	}
	return nil
}

// addHostRoles creates missing services and roles and links them to the host.
func addHostRoles(ctx context.Context, tx pgx.Tx, hostID string, roles []store.RoleRef, now int64) error {
	if len(roles) == 0 {
		return nil
	}
	services, names := make([]string, len(roles)), make([]string, len(roles))
	for i, r := range roles {
		services[i], names[i] = r.Service, r.Role
	}
	// One round trip per table instead of three per role.
	if _, err := tx.Exec(ctx, `INSERT INTO services (name, created_at)
		SELECT DISTINCT s, $2::bigint FROM unnest($1::text[]) AS s ON CONFLICT DO NOTHING`, services, now); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO roles (service, name, created_at)
		SELECT DISTINCT s, r, $3::bigint FROM unnest($1::text[], $2::text[]) AS x (s, r) ON CONFLICT DO NOTHING`, services, names, now); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO host_roles (host_id, service, role)
		SELECT DISTINCT $1::text, s, r FROM unnest($2::text[], $3::text[]) AS x (s, r) ON CONFLICT DO NOTHING`, hostID, services, names)
	return err
}

// ensureCheckMonitor returns the id of the check monitor called name,
// creating it if needed. Hosts create the monitors their checks name, so
// it lives here with check_monitors' table in 0001; the check rules
// (checks.go) use it too.
func ensureCheckMonitor(ctx context.Context, tx pgx.Tx, name string) (string, error) {
	var id string
	err := tx.QueryRow(ctx, `SELECT id FROM check_monitors WHERE name = $1`, name).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return "", err
	}
	id = store.NewID()
	_, err = tx.Exec(ctx, `INSERT INTO check_monitors (id, name) VALUES ($1, $2)`, id, name)
	return id, err
}

// ensureHostCheckMonitors creates the monitors a host's checks list names.
func ensureHostCheckMonitors(ctx context.Context, tx pgx.Tx, checks []byte) error {
	if len(checks) == 0 {
		return nil
	}
	var list []struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(checks, &list); err != nil {
		return nil // validated by the HTTP layer; nothing to create
	}
	for _, c := range list {
		if _, err := ensureCheckMonitor(ctx, tx, c.Name); err != nil {
			return err
		}
	}
	return nil
}

// GetHost returns a host by id, retired or not.
func (s *Store) GetHost(ctx context.Context, id string) (*store.Host, error) {
	return s.oneHost(ctx, `h.id = $1`, id, id)
}

// oneHost reads the host cond selects (the oldest when several do) with
// its roles; KindNotFound naming notFoundID when none.
func (s *Store) oneHost(ctx context.Context, cond, notFoundID string, args ...any) (*store.Host, error) {
	h, err := scanHost(s.pool.QueryRow(ctx, `SELECT `+hostColumns+` FROM hosts h WHERE `+cond+` ORDER BY h.seq LIMIT 1`, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.NotFound("host", notFoundID)
	}
	if err != nil {
		return nil, err
	}
	if err := s.loadRoles(ctx, map[string]*store.Host{h.ID: h}, []string{h.ID}); err != nil {
		return nil, err
	}
	return h, nil
}

// HostExists returns ErrNotFound unless a host (retired or not) has id.
func (s *Store) HostExists(ctx context.Context, id string) error {
	var ok bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM hosts WHERE id = $1)`, id).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return store.NotFound("host", id)
	}
	return nil
}

// FindHostByCustomIdentifier returns the oldest live host with that custom
// identifier, optionally compared case-insensitively.
func (s *Store) FindHostByCustomIdentifier(ctx context.Context, ci string, caseInsensitive bool) (*store.Host, error) {
	cond := `NOT h.is_retired AND h.custom_identifier = $1`
	if caseInsensitive {
		cond = `NOT h.is_retired AND lower(h.custom_identifier) = lower($1)`
	}
	return s.oneHost(ctx, cond, ci, ci)
}

// ListHosts returns live hosts matching f, in creation order.
func (s *Store) ListHosts(ctx context.Context, f store.HostFilter) ([]*store.Host, error) {
	hosts := []*store.Host{}
	err := s.EachHost(ctx, f, func(h *store.Host) error {
		hosts = append(hosts, h)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return hosts, nil
}

// A walk over hosts reads them in pages of at most hostPageRows hosts and
// about hostPageBytes of stored documents (or one host, when it alone is
// larger), so memory stays flat however many hosts there are.
const (
	hostPageRows  = 256
	hostPageBytes = 1 << 20
)

// EachHost calls fn with each live host matching f, in creation order
// (seq). It reads a page, releases the connection, then calls fn for the
// page's hosts, so no connection is held while fn writes to a slow
// client; the next page resumes after the last seq seen.
func (s *Store) EachHost(ctx context.Context, f store.HostFilter, fn func(*store.Host) error) error {
	cond, args := hostWhere(f)
	columns := hostColumns
	if f.SkipMeta {
		columns = hostColumnsSkipMeta
	}
	after := int64(0) // identities start at 1
	for {
		page, last, more, err := s.hostPage(ctx, columns, cond, args, after)
		if err != nil {
			return err
		}
		for _, h := range page {
			if err := fn(h); err != nil {
				return err
			}
		}
		if !more {
			return nil
		}
		after = last
	}
}

// hostPage reads the next page of hosts after seq after, with their roles.
func (s *Store) hostPage(ctx context.Context, columns, cond string, args []any, after int64) (page []*store.Host, last int64, more bool, err error) {
	n := len(args)
	rows, err := s.pool.Query(ctx, `SELECT h.seq, `+columns+` FROM hosts h
		WHERE `+cond+` AND h.seq > $`+strconv.Itoa(n+1)+` ORDER BY h.seq LIMIT $`+strconv.Itoa(n+2),
		append(args[:n:n], after, hostPageRows)...)
	if err != nil {
		return nil, 0, false, err
	}
	defer rows.Close()
	byID := map[string]*store.Host{}
	var ids []string
	size := 0
	for size < hostPageBytes && rows.Next() {
		h, err := scanHost(rows, &last)
		if err != nil {
			return nil, 0, false, err
		}
		page = append(page, h)
		byID[h.ID] = h
		ids = append(ids, h.ID)
		size += len(h.Meta) + len(h.Interfaces) + len(h.Checks) + len(h.Memo)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, false, err
	}
	// A page cut short by size is closed here, before the roles query.
	rows.Close()
	if len(page) == 0 {
		return nil, 0, false, nil
	}
	if err := s.loadRoles(ctx, byID, ids); err != nil {
		return nil, 0, false, err
	}
	return page, last, len(page) == hostPageRows || size >= hostPageBytes, nil
}

// loadRoles fills Roles of the hosts, each service's roles sorted.
func (s *Store) loadRoles(ctx context.Context, byID map[string]*store.Host, ids []string) error {
	rows, err := s.pool.Query(ctx, `SELECT host_id, service, role FROM host_roles
		WHERE host_id = ANY($1) ORDER BY host_id, service, role`, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	var id, svc, role string
	_, err = pgx.ForEachRow(rows, []any{&id, &svc, &role}, func() error {
		if h := byID[id]; h != nil {
			h.Roles[svc] = append(h.Roles[svc], role)
		}
		return nil
	})
	return err
}

// hostWhere is the WHERE clause (over alias h, parameters from $1)
// selecting f's live hosts.
func hostWhere(f store.HostFilter) (string, []any) {
	conds := []string{"NOT h.is_retired"}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if len(f.Statuses) > 0 {
		conds = append(conds, "h.status = ANY("+arg(f.Statuses)+")")
	}
	if f.Name != "" {
		conds = append(conds, "h.name = "+arg(f.Name))
	}
	if f.CustomIdentifier != "" {
		conds = append(conds, "h.custom_identifier = "+arg(f.CustomIdentifier))
	}
	if f.Service != "" {
		sub := "SELECT host_id FROM host_roles WHERE service = " + arg(f.Service)
		if len(f.Roles) > 0 {
			sub += " AND role = ANY(" + arg(f.Roles) + ")"
		}
		conds = append(conds, "h.id IN ("+sub+")")
	}
	return strings.Join(conds, " AND "), args
}

// UpdateHost applies c to a live host. Roles in AddRoles are added; the
// host keeps its other roles.
func (s *Store) UpdateHost(ctx context.Context, id string, c store.HostChanges) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if err := requireLiveHosts(ctx, tx, []string{id}); err != nil {
			return err
		}
		if c.CustomIdentifier != nil && *c.CustomIdentifier != "" {
			if err := checkCustomIdentifierFree(ctx, tx, *c.CustomIdentifier, id); err != nil {
				return err
			}
		}
		sets, args := []string{}, []any{}
		add := func(expr string, v any) {
			args = append(args, v)
			sets = append(sets, strings.ReplaceAll(expr, "?", "$"+strconv.Itoa(len(args))))
		}
		if c.Name != nil {
			add("name = ?", *c.Name)
		}
		if c.DisplayName != nil {
			add("display_name = ?", *c.DisplayName)
		}
		if c.CustomIdentifier != nil {
			add("custom_identifier = NULLIF(?, '')", *c.CustomIdentifier)
		}
		if c.Memo != nil {
			add("memo = ?", *c.Memo)
		}
		if c.Meta != nil {
			add("meta = ?", orDefault(c.Meta, "{}"))
		}
		if c.Interfaces != nil {
			add("interfaces = ?", orDefault(c.Interfaces, "[]"))
		}
		if c.Checks != nil {
			add("checks = ?", orDefault(c.Checks, "[]"))
		}
		if len(sets) > 0 {
			args = append(args, id)
			if _, err := tx.Exec(ctx, `UPDATE hosts SET `+strings.Join(sets, ", ")+` WHERE id = $`+strconv.Itoa(len(args)), args...); err != nil {
				return err
			}
		}
		if err := ensureHostCheckMonitors(ctx, tx, c.Checks); err != nil {
			return err
		}
		return addHostRoles(ctx, tx, id, c.AddRoles, s.now().Unix())
	})
}

// requireLiveHosts fails with ErrNotFound naming every unknown id, or
// ErrRetired when one is retired.
func requireLiveHosts(ctx context.Context, tx pgx.Tx, ids []string) error {
	rows, err := tx.Query(ctx, `SELECT id, is_retired FROM hosts WHERE id = ANY($1)`, ids)
	if err != nil {
		return err
	}
	found := map[string]bool{}
	var retired []string
	var id string
	var r bool
	if _, err := pgx.ForEachRow(rows, []any{&id, &r}, func() error {
		found[id] = true
		if r {
			retired = append(retired, id)
		}
		return nil
	}); err != nil {
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
func (s *Store) SetHostStatus(ctx context.Context, ids []string, status string) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if err := requireLiveHosts(ctx, tx, ids); err != nil {
			return err
		}
		// Hosts already in status are left alone: re-sending a status is
		// not a change, and must not reset how long a host has been in it.
		_, err := tx.Exec(ctx, `UPDATE hosts SET status = $1, status_changed_at = $2
			WHERE status <> $1 AND id = ANY($3)`, status, s.now().Unix(), ids)
		return err
	})
}

// SetHostRoles replaces the host's role set.
func (s *Store) SetHostRoles(ctx context.Context, id string, roles []store.RoleRef) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if err := requireLiveHosts(ctx, tx, []string{id}); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM host_roles WHERE host_id = $1`, id); err != nil {
			return err
		}
		return addHostRoles(ctx, tx, id, roles, s.now().Unix())
	})
}

// retireHosts marks the live hosts among ids retired, or none when one is
// unknown. Closing their alerts is the engine's rule (engine.RetireHosts).
func retireHosts(ctx context.Context, tx pgx.Tx, ids []string, retiredAt int64) error {
	if err := requireLiveHosts(ctx, tx, ids); err != nil && !errors.Is(err, store.ErrRetired) {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE hosts SET is_retired = TRUE, retired_at = $1
		WHERE NOT is_retired AND id = ANY($2)`, retiredAt, ids)
	return err
}

func (t *txn) RetireHosts(ctx context.Context, ids []string, retiredAt int64) error {
	return retireHosts(ctx, t.tx, ids, retiredAt)
}
