package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

// ListServices returns every service, by name, with its roles.
func (s *Store) ListServices(ctx context.Context) ([]*store.Service, error) {
	rows, err := s.pool.Query(ctx, `SELECT name, memo FROM services ORDER BY name`)
	if err != nil {
		return nil, err
	}
	out := []*store.Service{}
	byName := map[string]*store.Service{}
	var name, memo string
	if _, err := pgx.ForEachRow(rows, []any{&name, &memo}, func() error {
		svc := &store.Service{Name: name, Memo: memo, Roles: []string{}}
		out = append(out, svc)
		byName[name] = svc
		return nil
	}); err != nil {
		return nil, err
	}
	rows, err = s.pool.Query(ctx, `SELECT service, name FROM roles ORDER BY service, name`)
	if err != nil {
		return nil, err
	}
	var svc, role string
	_, err = pgx.ForEachRow(rows, []any{&svc, &role}, func() error {
		if sv := byName[svc]; sv != nil {
			sv.Roles = append(sv.Roles, role)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetService returns one service with its roles.
func (s *Store) GetService(ctx context.Context, name string) (*store.Service, error) {
	return getService(ctx, s.pool, name)
}

func getService(ctx context.Context, q db, name string) (*store.Service, error) {
	svc := &store.Service{}
	err := q.QueryRow(ctx, `SELECT name, memo FROM services WHERE name = $1`, name).Scan(&svc.Name, &svc.Memo)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.NotFound("service", name)
	}
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT name FROM roles WHERE service = $1 ORDER BY name`, name)
	if err != nil {
		return nil, err
	}
	if svc.Roles, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return nil, err
	}
	if svc.Roles == nil {
		svc.Roles = []string{}
	}
	return svc, nil
}

// CreateService stores a new service; ErrConflict when the name is taken.
func (s *Store) CreateService(ctx context.Context, name, memo string) (*store.Service, error) {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO services (name, memo, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			name, memo, s.now().Unix())
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
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
// host memberships, metadata, series) and returns it as it was.
func (s *Store) DeleteService(ctx context.Context, name string) (*store.Service, error) {
	var svc *store.Service
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		svc, err = deleteService(ctx, tx, name)
		return err
	})
	return svc, err
}

// DeleteService removes a service as Store.DeleteService does.
func (t *txn) DeleteService(ctx context.Context, name string) (*store.Service, error) {
	return deleteService(ctx, t.tx, name)
}

// deleteService removes a service with its roles, metadata and series.
func deleteService(ctx context.Context, tx pgx.Tx, name string) (*store.Service, error) {
	svc, err := getService(ctx, tx, name)
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM metadata WHERE (kind = 'service' AND owner = $1)
		OR (kind = 'role' AND owner IN (SELECT service || ':' || name FROM roles WHERE service = $1))`, name); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM series WHERE kind = 'service' AND owner = $1`, name); err != nil {
		return nil, err
	}
	_, err = tx.Exec(ctx, `DELETE FROM services WHERE name = $1`, name)
	return svc, err
}

// ListRoles returns the roles of a service by name.
func (s *Store) ListRoles(ctx context.Context, service string) ([]*store.Role, error) {
	if _, err := s.GetService(ctx, service); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT service, name, memo FROM roles WHERE service = $1 ORDER BY name`, service)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[store.Role])
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []*store.Role{}
	}
	return out, nil
}

// GetRole returns one role.
func (s *Store) GetRole(ctx context.Context, service, name string) (*store.Role, error) {
	return getRole(ctx, s.pool, service, name)
}

func getRole(ctx context.Context, q db, service, name string) (*store.Role, error) {
	r := &store.Role{}
	err := q.QueryRow(ctx, `SELECT service, name, memo FROM roles WHERE service = $1 AND name = $2`, service, name).
		Scan(&r.Service, &r.Name, &r.Memo)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.NotFound("role", service+":"+name)
	}
	return r, err
}

// CreateRole stores a role in an existing service.
func (s *Store) CreateRole(ctx context.Context, service, name, memo string) (*store.Role, error) {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := getService(ctx, tx, service); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO roles (service, name, memo, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
			service, name, memo, s.now().Unix())
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
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
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if role, err = getRole(ctx, tx, service, name); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM metadata WHERE kind = 'role' AND owner = $1`, service+":"+name); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM roles WHERE service = $1 AND name = $2`, service, name)
		return err
	})
	return role, err
}
