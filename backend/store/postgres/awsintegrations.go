package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

func awsNameTaken(ctx context.Context, q db, name, exceptID string) error {
	var taken bool
	if err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM aws_integrations WHERE name = $1 AND id <> $2)`, name, exceptID).Scan(&taken); err != nil {
		return err
	}
	if taken {
		return &store.Error{Kind: store.KindConflict, Resource: "AWS integration", ID: name,
			Message: `an AWS integration named "` + name + `" already exists`}
	}
	return nil
}

// CreateAWSIntegration stores a as the newest setting.
func (s *Store) CreateAWSIntegration(ctx context.Context, a *store.AWSIntegration) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if err := awsNameTaken(ctx, tx, a.Name, a.ID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO aws_integrations (id, name, body) VALUES ($1, $2, $3)`, a.ID, a.Name, a.Body)
		return err
	})
}

func getAWSIntegration(ctx context.Context, q db, id string) (*store.AWSIntegration, error) {
	a := &store.AWSIntegration{ID: id}
	err := q.QueryRow(ctx, `SELECT name, body FROM aws_integrations WHERE id = $1`, id).Scan(&a.Name, &a.Body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.NotFound("AWS integration", id)
	}
	return a, err
}

// GetAWSIntegration returns one setting.
func (s *Store) GetAWSIntegration(ctx context.Context, id string) (*store.AWSIntegration, error) {
	return getAWSIntegration(ctx, s.pool, id)
}

// ListAWSIntegrations returns every setting, oldest first.
func (s *Store) ListAWSIntegrations(ctx context.Context) ([]*store.AWSIntegration, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, name, body FROM aws_integrations ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[store.AWSIntegration])
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []*store.AWSIntegration{}
	}
	return out, nil
}

// UpdateAWSIntegration replaces a setting; it keeps its place in the list.
func (s *Store) UpdateAWSIntegration(ctx context.Context, a *store.AWSIntegration) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := getAWSIntegration(ctx, tx, a.ID); err != nil {
			return err
		}
		if err := awsNameTaken(ctx, tx, a.Name, a.ID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE aws_integrations SET name = $1, body = $2 WHERE id = $3`, a.Name, a.Body, a.ID)
		return err
	})
}

// DeleteAWSIntegration removes a setting and returns it as it was.
func (s *Store) DeleteAWSIntegration(ctx context.Context, id string) (*store.AWSIntegration, error) {
	var out *store.AWSIntegration
	err := s.tx(ctx, func(tx pgx.Tx) error {
		a, err := getAWSIntegration(ctx, tx, id)
		if err != nil {
			return err
		}
		out = a
		_, err = tx.Exec(ctx, `DELETE FROM aws_integrations WHERE id = $1`, id)
		return err
	})
	return out, err
}
