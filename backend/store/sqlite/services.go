package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

// ListServices returns every service, by name, with its roles.
func (s *Store) ListServices(ctx context.Context) ([]*store.Service, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT name, memo FROM services ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*store.Service{}
	byName := map[string]*store.Service{}
	for rows.Next() {
		svc := &store.Service{Roles: []string{}}
		if err := rows.Scan(&svc.Name, &svc.Memo); err != nil {
			return nil, err
		}
		out = append(out, svc)
		byName[svc.Name] = svc
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	roleRows, err := s.read.QueryContext(ctx, `SELECT service, name FROM roles ORDER BY service, name`)
	if err != nil {
		return nil, err
	}
	defer roleRows.Close()
	for roleRows.Next() {
		var svc, name string
		if err := roleRows.Scan(&svc, &name); err != nil {
			return nil, err
		}
		if sv := byName[svc]; sv != nil {
			sv.Roles = append(sv.Roles, name)
		}
	}
	return out, roleRows.Err()
}

// GetService returns one service with its roles.
func (s *Store) GetService(ctx context.Context, name string) (*store.Service, error) {
	return getService(ctx, s.read, name)
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func getService(ctx context.Context, q querier, name string) (*store.Service, error) {
	svc := &store.Service{Roles: []string{}}
	err := q.QueryRowContext(ctx, `SELECT name, memo FROM services WHERE name = ?`, name).Scan(&svc.Name, &svc.Memo)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.NotFound("service", name)
	}
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT name FROM roles WHERE service = ? ORDER BY name`, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		svc.Roles = append(svc.Roles, r)
	}
	return svc, rows.Err()
}

// CreateService stores a new service; ErrConflict when the name is taken.
func (s *Store) CreateService(ctx context.Context, name, memo string) (*store.Service, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO services (name, memo, created_at) VALUES (?, ?, ?)`, name, memo, s.now().Unix())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &store.Error{Kind: store.KindConflict, Resource: "service", ID: name,
				Message: "service " + name + " already exists"}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &store.Service{Name: name, Memo: memo, Roles: []string{}}, nil
}

// DeleteService removes a service and everything that belongs to it (roles,
// host memberships, metadata) and returns it as it was.
func (s *Store) DeleteService(ctx context.Context, name string) (*store.Service, error) {
	var svc *store.Service
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		svc, err = deleteService(ctx, tx, name)
		return err
	})
	if err == nil {
		s.forgetServiceSeries(name)
	}
	return svc, err
}

// forgetServiceSeries drops a deleted service's series from the cache.
func (s *Store) forgetServiceSeries(name string) {
	s.series.forget(func(k store.SeriesKey) bool { return k.Kind != "service" || k.Owner != name })
}

// deleteService removes a service with its roles, metadata and series.
func deleteService(ctx context.Context, tx *sql.Tx, name string) (*store.Service, error) {
	svc, err := getService(ctx, tx, name)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM metadata WHERE (kind = 'service' AND owner = ?)
		OR (kind = 'role' AND owner IN (SELECT service || ':' || name FROM roles WHERE service = ?))`, name, name); err != nil {
		return nil, err
	}
	if err := deleteOwnerSeries(ctx, tx, "service", name); err != nil {
		return nil, err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM services WHERE name = ?`, name)
	return svc, err
}

// ListRoles returns the roles of a service by name.
func (s *Store) ListRoles(ctx context.Context, service string) ([]*store.Role, error) {
	if _, err := s.GetService(ctx, service); err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT service, name, memo FROM roles WHERE service = ? ORDER BY name`, service)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*store.Role{}
	for rows.Next() {
		var r store.Role
		if err := rows.Scan(&r.Service, &r.Name, &r.Memo); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// GetRole returns one role.
func (s *Store) GetRole(ctx context.Context, service, name string) (*store.Role, error) {
	return getRole(ctx, s.read, service, name)
}

func getRole(ctx context.Context, q querier, service, name string) (*store.Role, error) {
	r := &store.Role{}
	err := q.QueryRowContext(ctx, `SELECT service, name, memo FROM roles WHERE service = ? AND name = ?`, service, name).
		Scan(&r.Service, &r.Name, &r.Memo)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.NotFound("role", service+":"+name)
	}
	return r, err
}

// CreateRole stores a role in an existing service.
func (s *Store) CreateRole(ctx context.Context, service, name, memo string) (*store.Role, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := getService(ctx, tx, service); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO roles (service, name, memo, created_at) VALUES (?, ?, ?, ?)`,
			service, name, memo, s.now().Unix())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &store.Error{Kind: store.KindConflict, Resource: "role", ID: service + ":" + name,
				Message: "role " + service + ":" + name + " already exists"}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &store.Role{Service: service, Name: name, Memo: memo}, nil
}

// DeleteRole removes a role (and hosts' membership and its metadata).
func (s *Store) DeleteRole(ctx context.Context, service, name string) (*store.Role, error) {
	var role *store.Role
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if role, err = getRole(ctx, tx, service, name); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM metadata WHERE kind = 'role' AND owner = ?`, service+":"+name); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM roles WHERE service = ? AND name = ?`, service, name)
		return err
	})
	return role, err
}
