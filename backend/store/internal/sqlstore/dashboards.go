package sqlstore

import (
	"context"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

// urlPathTaken is the conflict of a urlPath another dashboard has.
func urlPathTaken(urlPath string) error {
	return &store.Error{Kind: store.KindConflict, Resource: "dashboard", ID: urlPath,
		Message: "urlPath " + urlPath + " is already used by another dashboard"}
}

// dashboardWithURLPath returns the id of the dashboard that has urlPath,
// "" when none.
func dashboardWithURLPath(ctx context.Context, q Q, urlPath string) (string, error) {
	var id string
	err := q.QueryRow(ctx, `SELECT id FROM dashboards WHERE url_path = ?`, urlPath).Scan(&id)
	if errors.Is(err, ErrNoRows) {
		return "", nil
	}
	return id, err
}

// CreateDashboard stores a new dashboard, refusing a urlPath in use.
func (c Core) CreateDashboard(ctx context.Context, d *store.Dashboard) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		if other, err := dashboardWithURLPath(ctx, q, d.URLPath); err != nil || other != "" {
			if err != nil {
				return err
			}
			return urlPathTaken(d.URLPath)
		}
		n, err := q.Exec(ctx, `INSERT INTO dashboards (id, seq, url_path, body) VALUES (?, `+q.Dialect().NextSeq("dashboards")+`, ?, ?)
			ON CONFLICT (id) DO NOTHING`, d.ID, d.URLPath, d.Body)
		if err != nil {
			return err
		}
		if n == 0 {
			return &store.Error{Kind: store.KindConflict, Resource: "dashboard", ID: d.ID,
				Message: "dashboard " + d.ID + " already exists"}
		}
		return nil
	})
}

// GetDashboard returns one dashboard (KindNotFound when none).
func (c Core) GetDashboard(ctx context.Context, id string) (*store.Dashboard, error) {
	return getDashboard(ctx, c.E.Reader(), id)
}

func scanDashboard(row Row) (*store.Dashboard, error) {
	d := &store.Dashboard{}
	return d, row.Scan(&d.ID, &d.URLPath, &d.Body)
}

func getDashboard(ctx context.Context, q Q, id string) (*store.Dashboard, error) {
	d, err := scanDashboard(q.QueryRow(ctx, `SELECT id, url_path, body FROM dashboards WHERE id = ?`, id))
	if errors.Is(err, ErrNoRows) {
		return nil, store.NotFound("dashboard", id)
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// ListDashboards returns every dashboard in creation order.
func (c Core) ListDashboards(ctx context.Context) ([]*store.Dashboard, error) {
	return listOf(scanDashboard)(c.E.Reader().Query(ctx, `SELECT id, url_path, body FROM dashboards ORDER BY seq`))
}

// UpdateDashboard replaces a dashboard, refusing a urlPath another one
// uses.
func (c Core) UpdateDashboard(ctx context.Context, d *store.Dashboard) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		if _, err := getDashboard(ctx, q, d.ID); err != nil {
			return err
		}
		if other, err := dashboardWithURLPath(ctx, q, d.URLPath); err != nil || (other != "" && other != d.ID) {
			if err != nil {
				return err
			}
			return urlPathTaken(d.URLPath)
		}
		_, err := q.Exec(ctx, `UPDATE dashboards SET url_path = ?, body = ? WHERE id = ?`, d.URLPath, d.Body, d.ID)
		return err
	})
}

// DeleteDashboard removes a dashboard and returns it as it was.
func (c Core) DeleteDashboard(ctx context.Context, id string) (*store.Dashboard, error) {
	return removeRow(ctx, c, func(q Q) (*store.Dashboard, error) { return getDashboard(ctx, q, id) },
		`DELETE FROM dashboards WHERE id = ?`, id)
}
