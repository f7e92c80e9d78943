package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/mkr-dev/mkr/backend/store"
)

const hostColumns = `h.id, h.name, h.display_name, COALESCE(h.custom_identifier, ''), h.size, h.status,
	h.memo, h.meta, h.interfaces, h.checks, h.is_retired, COALESCE(h.retired_at, 0), h.created_at, h.status_changed_at`

// hostColumnsSkipMeta is hostColumns with '{}' for meta: an agent's meta
// is most of a host's bytes, in overflow pages SQLite need not read.
var hostColumnsSkipMeta = strings.Replace(hostColumns, "h.meta", "'{}'", 1)

func scanHost(row interface{ Scan(...any) error }) (*store.Host, error) {
	var h store.Host
	err := row.Scan(&h.ID, &h.Name, &h.DisplayName, &h.CustomIdentifier, &h.Size, &h.Status,
		&h.Memo, &h.Meta, &h.Interfaces, &h.Checks, &h.IsRetired, &h.RetiredAt, &h.CreatedAt, &h.StatusChangedAt)
	if err != nil {
		return nil, err
	}
	h.Roles = map[string][]string{}
	return &h, nil
}

// CreateHost stores a new host, creating any service or role it names.
func (s *Store) CreateHost(ctx context.Context, in store.NewHost) (string, error) {
	id := store.NewID()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if in.CustomIdentifier != "" {
			if err := checkCustomIdentifierFree(ctx, tx, in.CustomIdentifier, ""); err != nil {
				return err
			}
		}
		now := s.now().Unix()
		_, err := tx.ExecContext(ctx, `INSERT INTO hosts
			(id, name, display_name, custom_identifier, status, memo, meta, interfaces, checks, created_at, status_changed_at)
			VALUES (?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?, ?, ?, ?)`,
			id, in.Name, in.DisplayName, in.CustomIdentifier, in.Status, in.Memo,
			orDefault(in.Meta, "{}"), orDefault(in.Interfaces, "[]"), orDefault(in.Checks, "[]"), now, now)
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

func orDefault(b []byte, def string) []byte {
	if len(b) == 0 || string(b) == "null" {
		return []byte(def)
	}
	return b
}

// checkCustomIdentifierFree enforces org-wide uniqueness among live hosts.
func checkCustomIdentifierFree(ctx context.Context, tx *sql.Tx, ci, exceptID string) error {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM hosts
		WHERE custom_identifier = ? AND is_retired = 0 AND id <> ?`, ci, exceptID).Scan(&n)
	if err != nil {
		return err
	}
	if n > 0 {
		return &store.Error{Kind: store.KindConflict, Resource: "host", ID: ci,
			Message: fmt.Sprintf("customIdentifier %q is already used by another host", ci)}
	}
	return nil
}

// addHostRoles creates missing services and roles and links them to the host.
func addHostRoles(ctx context.Context, tx *sql.Tx, hostID string, roles []store.RoleRef, now int64) error {
	for _, r := range roles {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO services (name, created_at) VALUES (?, ?)`, r.Service, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO roles (service, name, created_at) VALUES (?, ?, ?)`, r.Service, r.Role, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO host_roles (host_id, service, role) VALUES (?, ?, ?)`, hostID, r.Service, r.Role); err != nil {
			return err
		}
	}
	return nil
}

// GetHost returns a host by id, retired or not.
func (s *Store) GetHost(ctx context.Context, id string) (*store.Host, error) {
	h, err := scanHost(s.read.QueryRowContext(ctx, `SELECT `+hostColumns+` FROM hosts h WHERE h.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.NotFound("host", id)
	}
	if err != nil {
		return nil, err
	}
	if err := s.loadRoles(ctx, map[string]*store.Host{h.ID: h}, `h.id = ?`, id); err != nil {
		return nil, err
	}
	return h, nil
}

// HostExists returns ErrNotFound unless a host (retired or not) has id; it
// reads one row instead of the whole host with its roles.
func (s *Store) HostExists(ctx context.Context, id string) error {
	var one int
	err := s.read.QueryRowContext(ctx, `SELECT 1 FROM hosts WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return store.NotFound("host", id)
	}
	return err
}

// FindHostByCustomIdentifier returns the oldest live host with that custom
// identifier, optionally compared case-insensitively.
func (s *Store) FindHostByCustomIdentifier(ctx context.Context, ci string, caseInsensitive bool) (*store.Host, error) {
	cond := `h.custom_identifier = ?`
	if caseInsensitive {
		cond = `LOWER(h.custom_identifier) = LOWER(?)`
	}
	row := s.read.QueryRowContext(ctx, `SELECT `+hostColumns+` FROM hosts h
		WHERE h.is_retired = 0 AND `+cond+` ORDER BY h.created_at, h.rowid LIMIT 1`, ci)
	h, err := scanHost(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.NotFound("host", ci)
	}
	if err != nil {
		return nil, err
	}
	if err := s.loadRoles(ctx, map[string]*store.Host{h.ID: h}, `h.id = ?`, h.ID); err != nil {
		return nil, err
	}
	return h, nil
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
// larger), so memory stays flat however many hosts there are and however
// large their meta.
const (
	hostPageRows  = 256
	hostPageBytes = 1 << 20
)

// EachHost calls fn with each live host matching f, in creation order. It
// reads a page, closes the read, then calls fn for the page's hosts: no
// read transaction stays open while fn writes to a slow client, so WAL
// checkpoints are not held back and the read connection goes back to the
// pool. The next page resumes after the last rowid seen (creation order
// is rowid order, and an update keeps a row's rowid).
func (s *Store) EachHost(ctx context.Context, f store.HostFilter, fn func(*store.Host) error) error {
	cond, args := hostWhere(f)
	columns := hostColumns
	if f.SkipMeta {
		columns = hostColumnsSkipMeta
	}
	after := int64(0) // rowids start at 1
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

// hostPage reads the next page of hosts after rowid after, with their
// roles. last is the rowid of the page's last host; more is false when no
// host can follow.
func (s *Store) hostPage(ctx context.Context, columns, cond string, args []any, after int64) (page []*store.Host, last int64, more bool, err error) {
	rows, err := s.read.QueryContext(ctx, `SELECT h.rowid, `+columns+` FROM hosts h
		WHERE `+cond+` AND h.rowid > ? ORDER BY h.rowid LIMIT ?`, append(args[:len(args):len(args)], after, hostPageRows)...)
	if err != nil {
		return nil, 0, false, err
	}
	defer rows.Close()
	byID := map[string]*store.Host{}
	ids := []any{}
	size := 0
	for size < hostPageBytes && rows.Next() {
		h, err := scanHost(rowidAndHost{rows, &last})
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
	if err := s.loadPageRoles(ctx, byID, ids); err != nil {
		return nil, 0, false, err
	}
	return page, last, len(page) == hostPageRows || size >= hostPageBytes, nil
}

// loadPageRoles fills Roles of a page's hosts. It reads host_roles alone,
// in its primary key's order (host, service, role), so SQLite neither
// joins nor sorts.
func (s *Store) loadPageRoles(ctx context.Context, byID map[string]*store.Host, ids []any) error {
	rows, err := s.read.QueryContext(ctx, `SELECT host_id, service, role FROM host_roles
		WHERE host_id IN (`+placeholders(len(ids))+`) ORDER BY host_id, service, role`, ids...)
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

// rowidAndHost scans a row of `h.rowid, hostColumns`, keeping the rowid.
type rowidAndHost struct {
	rows  *sql.Rows
	rowid *int64
}

func (r rowidAndHost) Scan(dest ...any) error {
	return r.rows.Scan(append([]any{r.rowid}, dest...)...)
}

// hostWhere is the WHERE clause (over alias h) selecting f's hosts for a
// walk in rowid order. The unary + keeps SQLite off the (is_retired,
// status) index, which selects most hosts anyway: through it, every page
// would read and sort all the hosts after it instead of the next few in
// rowid order. The name and custom identifier indexes are selective and
// stay usable.
func hostWhere(f store.HostFilter) (string, []any) {
	conds := []string{"+h.is_retired = 0"}
	var args []any
	if len(f.Statuses) > 0 {
		conds = append(conds, "+h.status IN ("+placeholders(len(f.Statuses))+")")
		for _, st := range f.Statuses {
			args = append(args, st)
		}
	}
	if f.Name != "" {
		conds = append(conds, "h.name = ?")
		args = append(args, f.Name)
	}
	if f.CustomIdentifier != "" {
		conds = append(conds, "h.custom_identifier = ?")
		args = append(args, f.CustomIdentifier)
	}
	if f.Service != "" {
		sub := "SELECT host_id FROM host_roles WHERE service = ?"
		args = append(args, f.Service)
		if len(f.Roles) > 0 {
			sub += " AND role IN (" + placeholders(len(f.Roles)) + ")"
			for _, r := range f.Roles {
				args = append(args, r)
			}
		}
		conds = append(conds, "h.id IN ("+sub+")")
	}
	return strings.Join(conds, " AND "), args
}

// loadRoles fills Roles of the hosts selected by cond (over alias h).
func (s *Store) loadRoles(ctx context.Context, byID map[string]*store.Host, cond string, args ...any) error {
	rows, err := s.read.QueryContext(ctx, `SELECT hr.host_id, hr.service, hr.role
		FROM host_roles hr JOIN hosts h ON h.id = hr.host_id WHERE `+cond+`
		ORDER BY hr.service, hr.role`, args...)
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

// UpdateHost applies c to a live host. Roles in AddRoles are added; the
// host keeps its other roles.
func (s *Store) UpdateHost(ctx context.Context, id string, c store.HostChanges) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := requireLiveHosts(ctx, tx, []string{id}); err != nil {
			return err
		}
		if c.CustomIdentifier != nil && *c.CustomIdentifier != "" {
			if err := checkCustomIdentifierFree(ctx, tx, *c.CustomIdentifier, id); err != nil {
				return err
			}
		}
		sets, args := []string{}, []any{}
		add := func(col string, v any) { sets = append(sets, col+" = ?"); args = append(args, v) }
		if c.Name != nil {
			add("name", *c.Name)
		}
		if c.DisplayName != nil {
			add("display_name", *c.DisplayName)
		}
		if c.CustomIdentifier != nil {
			sets = append(sets, "custom_identifier = NULLIF(?, '')")
			args = append(args, *c.CustomIdentifier)
		}
		if c.Memo != nil {
			add("memo", *c.Memo)
		}
		if c.Meta != nil {
			add("meta", orDefault(c.Meta, "{}"))
		}
		if c.Interfaces != nil {
			add("interfaces", orDefault(c.Interfaces, "[]"))
		}
		if c.Checks != nil {
			add("checks", orDefault(c.Checks, "[]"))
		}
		if len(sets) > 0 {
			args = append(args, id)
			if _, err := tx.ExecContext(ctx, `UPDATE hosts SET `+strings.Join(sets, ", ")+` WHERE id = ?`, args...); err != nil {
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
func requireLiveHosts(ctx context.Context, tx *sql.Tx, ids []string) error {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, is_retired FROM hosts WHERE id IN (`+placeholders(len(ids))+`)`, args...)
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
func (s *Store) SetHostStatus(ctx context.Context, ids []string, status string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := requireLiveHosts(ctx, tx, ids); err != nil {
			return err
		}
		// Hosts already in status are left alone: re-sending a status is
		// not a change, and must not reset how long a host has been in it.
		args := []any{status, s.now().Unix(), status}
		for _, id := range ids {
			args = append(args, id)
		}
		_, err := tx.ExecContext(ctx, `UPDATE hosts SET status = ?, status_changed_at = ?
			WHERE status <> ? AND id IN (`+placeholders(len(ids))+`)`, args...)
		return err
	})
}

// SetHostRoles replaces the host's role set.
func (s *Store) SetHostRoles(ctx context.Context, id string, roles []store.RoleRef) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := requireLiveHosts(ctx, tx, []string{id}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM host_roles WHERE host_id = ?`, id); err != nil {
			return err
		}
		return addHostRoles(ctx, tx, id, roles, s.now().Unix())
	})
}

// retireHosts marks the live hosts among ids retired, or none when one is
// unknown. Closing their alerts is the engine's rule (engine.RetireHosts).
func retireHosts(ctx context.Context, tx *sql.Tx, ids []string, retiredAt int64) error {
	if err := requireLiveHosts(ctx, tx, ids); err != nil && !errors.Is(err, store.ErrRetired) {
		return err
	}
	args := []any{retiredAt}
	for _, id := range ids {
		args = append(args, id)
	}
	_, err := tx.ExecContext(ctx, `UPDATE hosts SET is_retired = 1, retired_at = ?
		WHERE is_retired = 0 AND id IN (`+placeholders(len(ids))+`)`, args...)
	return err
}
