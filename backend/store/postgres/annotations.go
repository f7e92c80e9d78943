package postgres

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

// checkAnnotationScope verifies the service and every role exist.
func checkAnnotationScope(ctx context.Context, q db, service string, roles []string) error {
	if _, err := getService(ctx, q, service); err != nil {
		return err
	}
	for _, r := range roles {
		if _, err := getRole(ctx, q, service, r); err != nil {
			return err
		}
	}
	return nil
}

func rolesJSON(roles []string) []byte {
	if roles == nil {
		roles = []string{}
	}
	b, _ := json.Marshal(roles)
	return b
}

// CreateAnnotation stores a new annotation and returns it with its id.
func (s *Store) CreateAnnotation(ctx context.Context, a store.Annotation) (*store.Annotation, error) {
	a.ID = store.NewID()
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if err := checkAnnotationScope(ctx, tx, a.Service, a.Roles); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO graph_annotations (id, service, title, description, from_time, to_time, roles)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ID, a.Service, a.Title, a.Description, a.From, a.To, rolesJSON(a.Roles))
		return err
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

const annotationColumns = `id, service, title, description, from_time, to_time, roles`

func scanAnnotation(row pgx.Row) (*store.Annotation, error) {
	var a store.Annotation
	var roles []byte
	if err := row.Scan(&a.ID, &a.Service, &a.Title, &a.Description, &a.From, &a.To, &roles); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(roles, &a.Roles); err != nil {
		return nil, err
	}
	return &a, nil
}

func getAnnotation(ctx context.Context, q db, id string) (*store.Annotation, error) {
	a, err := scanAnnotation(q.QueryRow(ctx, `SELECT `+annotationColumns+` FROM graph_annotations WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.NotFound("graph annotation", id)
	}
	return a, err
}

// UpdateAnnotation applies c and returns the annotation as stored. check
// validates the merged result before anything is written.
func (s *Store) UpdateAnnotation(ctx context.Context, id string, c store.AnnotationChanges, check func(*store.Annotation) error) (*store.Annotation, error) {
	var out *store.Annotation
	err := s.tx(ctx, func(tx pgx.Tx) error {
		a, err := getAnnotation(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.Service != nil {
			a.Service = *c.Service
		}
		if c.Title != nil {
			a.Title = *c.Title
		}
		if c.Description != nil {
			a.Description = *c.Description
		}
		if c.From != nil {
			a.From = *c.From
		}
		if c.To != nil {
			a.To = *c.To
		}
		if c.Roles != nil {
			a.Roles = *c.Roles
		}
		if err := check(a); err != nil {
			return err
		}
		if err := checkAnnotationScope(ctx, tx, a.Service, a.Roles); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE graph_annotations SET service = $1, title = $2, description = $3, from_time = $4, to_time = $5, roles = $6
			WHERE id = $7`, a.Service, a.Title, a.Description, a.From, a.To, rolesJSON(a.Roles), id)
		out = a
		return err
	})
	return out, err
}

// DeleteAnnotation removes an annotation and returns it as it was.
func (s *Store) DeleteAnnotation(ctx context.Context, id string) (*store.Annotation, error) {
	var out *store.Annotation
	err := s.tx(ctx, func(tx pgx.Tx) error {
		a, err := getAnnotation(ctx, tx, id)
		if err != nil {
			return err
		}
		out = a
		_, err = tx.Exec(ctx, `DELETE FROM graph_annotations WHERE id = $1`, id)
		return err
	})
	return out, err
}

// ListAnnotations returns the service's annotations whose [from, to]
// interval intersects the window, by start time.
func (s *Store) ListAnnotations(ctx context.Context, service string, from, to int64) ([]*store.Annotation, error) {
	if _, err := s.GetService(ctx, service); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT `+annotationColumns+` FROM graph_annotations
		WHERE service = $1 AND from_time <= $2 AND to_time >= $3 ORDER BY from_time, id`, service, to, from)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*store.Annotation{}
	for rows.Next() {
		a, err := scanAnnotation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
