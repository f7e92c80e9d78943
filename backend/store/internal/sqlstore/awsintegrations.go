package sqlstore

import (
	"context"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

func awsNameTaken(ctx context.Context, q Q, name, exceptID string) error {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM aws_integrations WHERE name = ? AND id <> ?`, name, exceptID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return &store.Error{Kind: store.KindConflict, Resource: "AWS integration", ID: name,
			Message: `an AWS integration named "` + name + `" already exists`}
	}
	return nil
}

// CreateAWSIntegration stores a as the newest setting.
func (c Core) CreateAWSIntegration(ctx context.Context, a *store.AWSIntegration) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		if err := awsNameTaken(ctx, q, a.Name, a.ID); err != nil {
			return err
		}
		_, err := q.Exec(ctx, `INSERT INTO aws_integrations (id, seq, name, body) VALUES (?, `+q.Dialect().NextSeq("aws_integrations")+`, ?, ?)`,
			a.ID, a.Name, a.Body)
		return err
	})
}

func getAWSIntegration(ctx context.Context, q Q, id string) (*store.AWSIntegration, error) {
	a := &store.AWSIntegration{ID: id}
	err := q.QueryRow(ctx, `SELECT name, body FROM aws_integrations WHERE id = ?`, id).Scan(&a.Name, &a.Body)
	if errors.Is(err, ErrNoRows) {
		return nil, store.NotFound("AWS integration", id)
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// GetAWSIntegration returns one setting.
func (c Core) GetAWSIntegration(ctx context.Context, id string) (*store.AWSIntegration, error) {
	return getAWSIntegration(ctx, c.E.Reader(), id)
}

// ListAWSIntegrations returns every setting, oldest first.
func (c Core) ListAWSIntegrations(ctx context.Context) ([]*store.AWSIntegration, error) {
	return listOf(func(row Row) (*store.AWSIntegration, error) {
		var a store.AWSIntegration
		return &a, row.Scan(&a.ID, &a.Name, &a.Body)
	})(c.E.Reader().Query(ctx, `SELECT id, name, body FROM aws_integrations ORDER BY seq`))
}

// UpdateAWSIntegration replaces a setting; it keeps its place in the list.
func (c Core) UpdateAWSIntegration(ctx context.Context, a *store.AWSIntegration) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		if _, err := getAWSIntegration(ctx, q, a.ID); err != nil {
			return err
		}
		if err := awsNameTaken(ctx, q, a.Name, a.ID); err != nil {
			return err
		}
		_, err := q.Exec(ctx, `UPDATE aws_integrations SET name = ?, body = ? WHERE id = ?`, a.Name, a.Body, a.ID)
		return err
	})
}

// DeleteAWSIntegration removes a setting and returns it as it was.
func (c Core) DeleteAWSIntegration(ctx context.Context, id string) (*store.AWSIntegration, error) {
	return removeRow(ctx, c, func(q Q) (*store.AWSIntegration, error) { return getAWSIntegration(ctx, q, id) },
		`DELETE FROM aws_integrations WHERE id = ?`, id)
}
