package sqlstore

import (
	"context"
	"strings"

	"github.com/mkr-dev/mkr/backend/store"
)

// ListHosts returns live hosts matching f, in creation order.
func (c Core) ListHosts(ctx context.Context, f store.HostFilter) ([]*store.Host, error) {
	hosts := []*store.Host{}
	err := c.EachHost(ctx, f, func(h *store.Host) error {
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

// EachHost calls fn with each live host matching f, in creation order
// (SQLite's rowid, PostgreSQL's seq: Dialect.Order). It reads a page,
// closes the read, then calls fn for the page's hosts: no read stays open
// while fn writes to a slow client, so SQLite's WAL checkpoints are not
// held back and the connection goes back to the pool. The next page
// resumes after the last position seen (an update keeps a row's rowid or
// seq).
func (c Core) EachHost(ctx context.Context, f store.HostFilter, fn func(*store.Host) error) error {
	r := c.E.Reader()
	cond, args := hostWhere(r.Dialect(), f)
	columns := hostColumns
	if f.SkipMeta {
		columns = hostColumnsSkipMeta(r.Dialect())
	}
	after := int64(0) // rowids and identities start at 1
	for {
		page, last, more, err := hostPage(ctx, r, columns, cond, args, after)
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

// hostPage reads the next page of hosts after position after, with their
// roles. last is the position of the page's last host; more is false when
// no host can follow.
func hostPage(ctx context.Context, q Q, columns, cond string, args []any, after int64) (page []*store.Host, last int64, more bool, err error) {
	order := "h." + q.Dialect().Order()
	rows, err := q.Query(ctx, `SELECT `+order+`, `+columns+` FROM hosts h
		WHERE `+cond+` AND `+order+` > ? ORDER BY `+order+` LIMIT ?`, append(args[:len(args):len(args)], after, hostPageRows)...)
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
	if err := loadRoles(ctx, q, byID, ids); err != nil {
		return nil, 0, false, err
	}
	return page, last, len(page) == hostPageRows || size >= hostPageBytes, nil
}

// hostWhere is the WHERE clause (over alias h) selecting f's live hosts
// for a walk in creation order. On SQLite the unary + keeps the planner
// off the (is_retired, status) index, which selects most hosts anyway:
// through it, every page would read and sort all the hosts after it
// instead of the next few in rowid order. The name and custom identifier
// indexes are selective and stay usable. PostgreSQL has no such operator
// on booleans and needs no hint.
func hostWhere(d Dialect, f store.HostFilter) (string, []any) {
	conds, hint := []string{"NOT h.is_retired"}, ""
	if d == SQLite {
		conds, hint = []string{"+h.is_retired = 0"}, "+"
	}
	var args []any
	if len(f.Statuses) > 0 {
		in, a := d.InStrings(hint+"h.status", f.Statuses)
		conds = append(conds, in)
		args = append(args, a...)
	}
	if f.IDs != nil {
		in, a := d.InStrings("h.id", f.IDs)
		conds = append(conds, in)
		args = append(args, a...)
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
			in, a := d.InStrings("role", f.Roles)
			sub += " AND " + in
			args = append(args, a...)
		}
		conds = append(conds, "h.id IN ("+sub+")")
	}
	return strings.Join(conds, " AND "), args
}
