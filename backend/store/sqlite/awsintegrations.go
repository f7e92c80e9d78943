package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

func awsNameTaken(ctx context.Context, q querier, name, exceptID string) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM aws_integrations WHERE name = ? AND id <> ?`, name, exceptID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return &store.Error{Kind: store.KindConflict, Resource: "AWS integration", ID: name,
			Message: `an AWS integration named "` + name + `" already exists`}
	}
	return nil
}

// CreateAWSIntegration stores a as the newest setting.
func (s *Store) CreateAWSIntegration(ctx context.Context, a *store.AWSIntegration) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := awsNameTaken(ctx, tx, a.Name, a.ID); err != nil {
			return err
		}
		seq, err := nextSeq(ctx, tx, "aws_integrations")
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO aws_integrations (id, seq, name, body) VALUES (?, ?, ?, ?)`, a.ID, seq, a.Name, a.Body)
		return err
	})
}

func getAWSIntegration(ctx context.Context, q querier, id string) (*store.AWSIntegration, error) {
	a := &store.AWSIntegration{ID: id}
	err := q.QueryRowContext(ctx, `SELECT name, body FROM aws_integrations WHERE id = ?`, id).Scan(&a.Name, &a.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.NotFound("AWS integration", id)
	}
	return a, err
}

// GetAWSIntegration returns one setting.
func (s *Store) GetAWSIntegration(ctx context.Context, id string) (*store.AWSIntegration, error) {
	return getAWSIntegration(ctx, s.read, id)
}

// ListAWSIntegrations returns every setting, oldest first.
func (s *Store) ListAWSIntegrations(ctx context.Context) ([]*store.AWSIntegration, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, name, body FROM aws_integrations ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*store.AWSIntegration{}
	for rows.Next() {
		var a store.AWSIntegration
		if err := rows.Scan(&a.ID, &a.Name, &a.Body); err != nil {
			return nil, err
		}
		out = append(out, &a)
	}
	return out, rows.Err()
}

// UpdateAWSIntegration replaces a setting; it keeps its place in the list.
func (s *Store) UpdateAWSIntegration(ctx context.Context, a *store.AWSIntegration) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := getAWSIntegration(ctx, tx, a.ID); err != nil {
			return err
		}
		if err := awsNameTaken(ctx, tx, a.Name, a.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE aws_integrations SET name = ?, body = ? WHERE id = ?`, a.Name, a.Body, a.ID)
		return err
	})
}

// DeleteAWSIntegration removes a setting and returns it as it was.
func (s *Store) DeleteAWSIntegration(ctx context.Context, id string) (*store.AWSIntegration, error) {
	var out *store.AWSIntegration
	err := s.tx(ctx, func(tx *sql.Tx) error {
		a, err := getAWSIntegration(ctx, tx, id)
		if err != nil {
			return err
		}
		out = a
		_, err = tx.ExecContext(ctx, `DELETE FROM aws_integrations WHERE id = ?`, id)
		return err
	})
	return out, err
}
