package sqlstore

import (
	"context"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

// ListServices returns every service, by name, with its roles.
func (c Core) ListServices(ctx context.Context) ([]*store.Service, error) {
	r := c.E.Reader()
	rows, err := r.Query(ctx, `SELECT name, memo FROM services ORDER BY name`)
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
	rows.Close()
	roleRows, err := r.Query(ctx, `SELECT service, name FROM roles ORDER BY service, name`)
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
func (c Core) GetService(ctx context.Context, name string) (*store.Service, error) {
	return GetService(ctx, c.E.Reader(), name)
}

// GetService reads one service with its roles through q (KindNotFound
// when there is none).
func GetService(ctx context.Context, q Q, name string) (*store.Service, error) {
	svc := &store.Service{Roles: []string{}}
	err := q.QueryRow(ctx, `SELECT name, memo FROM services WHERE name = ?`, name).Scan(&svc.Name, &svc.Memo)
	if errors.Is(err, ErrNoRows) {
		return nil, store.NotFound("service", name)
	}
	if err != nil {
		return nil, err
	}
	if svc.Roles, err = listOf(scanString)(q.Query(ctx, `SELECT name FROM roles WHERE service = ? ORDER BY name`, name)); err != nil {
		return nil, err
	}
	return svc, nil
}

// CreateService stores a new service; ErrConflict when the name is taken.
func (c Core) CreateService(ctx context.Context, name, memo string) (*store.Service, error) {
	err := c.E.WriteTx(ctx, func(q Q) error {
		n, err := q.Exec(ctx, `INSERT INTO services (name, memo, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, name, memo, c.Now().Unix())
		if err != nil {
			return err
		}
		if n == 0 {
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

// DeleteService removes a service inside q with its roles, host
// memberships and metadata, and returns it as it was. deleteSeries
// removes the service's time series, which each engine stores its own way
// (the engine also forgets them in its cache once the transaction
// commits).
func DeleteService(ctx context.Context, q Q, name string, deleteSeries func() error) (*store.Service, error) {
	svc, err := GetService(ctx, q, name)
	if err != nil {
		return nil, err
	}
	if _, err := q.Exec(ctx, `DELETE FROM metadata WHERE (kind = 'service' AND owner = ?)
		OR (kind = 'role' AND owner IN (SELECT service || ':' || name FROM roles WHERE service = ?))`, name, name); err != nil {
		return nil, err
	}
	if err := deleteSeries(); err != nil {
		return nil, err
	}
	_, err = q.Exec(ctx, `DELETE FROM services WHERE name = ?`, name)
	return svc, err
}

// ListRoles returns the roles of a service by name.
func (c Core) ListRoles(ctx context.Context, service string) ([]*store.Role, error) {
	if _, err := c.GetService(ctx, service); err != nil {
		return nil, err
	}
	return listOf(scanRole)(c.E.Reader().Query(ctx, `SELECT service, name, memo FROM roles WHERE service = ? ORDER BY name`, service))
}

func scanRole(row Row) (*store.Role, error) {
	r := &store.Role{}
	return r, row.Scan(&r.Service, &r.Name, &r.Memo)
}

// GetRole returns one role.
func (c Core) GetRole(ctx context.Context, service, name string) (*store.Role, error) {
	return getRole(ctx, c.E.Reader(), service, name)
}

func getRole(ctx context.Context, q Q, service, name string) (*store.Role, error) {
	r, err := scanRole(q.QueryRow(ctx, `SELECT service, name, memo FROM roles WHERE service = ? AND name = ?`, service, name))
	if errors.Is(err, ErrNoRows) {
		return nil, store.NotFound("role", service+":"+name)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// CreateRole stores a role in an existing service.
func (c Core) CreateRole(ctx context.Context, service, name, memo string) (*store.Role, error) {
	err := c.E.WriteTx(ctx, func(q Q) error {
		if _, err := GetService(ctx, q, service); err != nil {
			return err
		}
		n, err := q.Exec(ctx, `INSERT INTO roles (service, name, memo, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			service, name, memo, c.Now().Unix())
		if err != nil {
			return err
		}
		if n == 0 {
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
func (c Core) DeleteRole(ctx context.Context, service, name string) (*store.Role, error) {
	var role *store.Role
	err := c.E.WriteTx(ctx, func(q Q) error {
		var err error
		if role, err = getRole(ctx, q, service, name); err != nil {
			return err
		}
		if _, err := q.Exec(ctx, `DELETE FROM metadata WHERE kind = 'role' AND owner = ?`, service+":"+name); err != nil {
			return err
		}
		_, err = q.Exec(ctx, `DELETE FROM roles WHERE service = ? AND name = ?`, service, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	return role, nil
}
