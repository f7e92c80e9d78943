package sqlstore

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

// checkAnnotationScope verifies the service and every role exist.
func checkAnnotationScope(ctx context.Context, q Q, service string, roles []string) error {
	if _, err := GetService(ctx, q, service); err != nil {
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
func (c Core) CreateAnnotation(ctx context.Context, a store.Annotation) (*store.Annotation, error) {
	a.ID = store.NewID()
	err := c.E.WriteTx(ctx, func(q Q) error {
		if err := checkAnnotationScope(ctx, q, a.Service, a.Roles); err != nil {
			return err
		}
		_, err := q.Exec(ctx, `INSERT INTO graph_annotations (id, service, title, description, from_time, to_time, roles)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, a.ID, a.Service, a.Title, a.Description, a.From, a.To, rolesJSON(a.Roles))
		return err
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

const annotationColumns = `id, service, title, description, from_time, to_time, roles`

func scanAnnotation(row Row) (*store.Annotation, error) {
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

func getAnnotation(ctx context.Context, q Q, id string) (*store.Annotation, error) {
	a, err := scanAnnotation(q.QueryRow(ctx, `SELECT `+annotationColumns+` FROM graph_annotations WHERE id = ?`, id))
	if errors.Is(err, ErrNoRows) {
		return nil, store.NotFound("graph annotation", id)
	}
	return a, err
}

// UpdateAnnotation applies ch and returns the annotation as stored. check
// validates the merged result before anything is written.
func (c Core) UpdateAnnotation(ctx context.Context, id string, ch store.AnnotationChanges, check func(*store.Annotation) error) (*store.Annotation, error) {
	var out *store.Annotation
	err := c.E.WriteTx(ctx, func(q Q) error {
		a, err := getAnnotation(ctx, q, id)
		if err != nil {
			return err
		}
		if ch.Service != nil {
			a.Service = *ch.Service
		}
		if ch.Title != nil {
			a.Title = *ch.Title
		}
		if ch.Description != nil {
			a.Description = *ch.Description
		}
		if ch.From != nil {
			a.From = *ch.From
		}
		if ch.To != nil {
			a.To = *ch.To
		}
		if ch.Roles != nil {
			a.Roles = *ch.Roles
		}
		if err := check(a); err != nil {
			return err
		}
		if err := checkAnnotationScope(ctx, q, a.Service, a.Roles); err != nil {
			return err
		}
		_, err = q.Exec(ctx, `UPDATE graph_annotations SET service = ?, title = ?, description = ?, from_time = ?, to_time = ?, roles = ?
			WHERE id = ?`, a.Service, a.Title, a.Description, a.From, a.To, rolesJSON(a.Roles), id)
		out = a
		return err
	})
	return out, err
}

// DeleteAnnotation removes an annotation and returns it as it was.
func (c Core) DeleteAnnotation(ctx context.Context, id string) (*store.Annotation, error) {
	return removeRow(ctx, c, func(q Q) (*store.Annotation, error) { return getAnnotation(ctx, q, id) },
		`DELETE FROM graph_annotations WHERE id = ?`, id)
}

// ListAnnotations returns the service's annotations whose [from, to]
// interval intersects the window, by start time.
func (c Core) ListAnnotations(ctx context.Context, service string, from, to int64) ([]*store.Annotation, error) {
	if _, err := c.GetService(ctx, service); err != nil {
		return nil, err
	}
	return listOf(scanAnnotation)(c.E.Reader().Query(ctx, `SELECT `+annotationColumns+` FROM graph_annotations
		WHERE service = ? AND from_time <= ? AND to_time >= ? ORDER BY from_time, id`, service, to, from))
}
