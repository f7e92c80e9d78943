package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

// urlPathTaken is the conflict of a urlPath another dashboard has.
func urlPathTaken(urlPath string) error {
	return &store.Error{Kind: store.KindConflict, Resource: "dashboard", ID: urlPath,
		Message: "urlPath " + urlPath + " is already used by another dashboard"}
}

// dashboardWithURLPath returns the id of the dashboard that has urlPath,
// "" when none.
func dashboardWithURLPath(ctx context.Context, tx pgx.Tx, urlPath string) (string, error) {
	var id string
	err := tx.QueryRow(ctx, `SELECT id FROM dashboards WHERE url_path = $1`, urlPath).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// CreateDashboard stores a new dashboard, refusing a urlPath in use.
func (s *Store) CreateDashboard(ctx context.Context, d *store.Dashboard) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if other, err := dashboardWithURLPath(ctx, tx, d.URLPath); err != nil || other != "" {
			if err != nil {
				return err
			}
			return urlPathTaken(d.URLPath)
		}
		tag, err := tx.Exec(ctx, `INSERT INTO dashboards (id, url_path, body) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
			d.ID, d.URLPath, d.Body)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return &store.Error{Kind: store.KindConflict, Resource: "dashboard", ID: d.ID,
				Message: "dashboard " + d.ID + " already exists"}
		}
		return nil
	})
}

// GetDashboard returns one dashboard (KindNotFound when none).
func (s *Store) GetDashboard(ctx context.Context, id string) (*store.Dashboard, error) {
	return getDashboard(ctx, s.pool, id)
}

func getDashboard(ctx context.Context, q db, id string) (*store.Dashboard, error) {
	d := &store.Dashboard{}
	err := q.QueryRow(ctx, `SELECT id, url_path, body FROM dashboards WHERE id = $1`, id).Scan(&d.ID, &d.URLPath, &d.Body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.NotFound("dashboard", id)
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// ListDashboards returns every dashboard in creation order.
func (s *Store) ListDashboards(ctx context.Context) ([]*store.Dashboard, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, url_path, body FROM dashboards ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[store.Dashboard])
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []*store.Dashboard{}
	}
	return out, nil
}

// UpdateDashboard replaces a dashboard, refusing a urlPath another one
// uses.
func (s *Store) UpdateDashboard(ctx context.Context, d *store.Dashboard) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := getDashboard(ctx, tx, d.ID); err != nil {
			return err
		}
		if other, err := dashboardWithURLPath(ctx, tx, d.URLPath); err != nil || (other != "" && other != d.ID) {
			if err != nil {
				return err
			}
			return urlPathTaken(d.URLPath)
		}
		_, err := tx.Exec(ctx, `UPDATE dashboards SET url_path = $1, body = $2 WHERE id = $3`, d.URLPath, d.Body, d.ID)
		return err
	})
}

// DeleteDashboard removes a dashboard and returns it as it was.
func (s *Store) DeleteDashboard(ctx context.Context, id string) (*store.Dashboard, error) {
	var d *store.Dashboard
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if d, err = getDashboard(ctx, tx, id); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM dashboards WHERE id = $1`, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}
