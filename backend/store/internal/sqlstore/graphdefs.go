package sqlstore

import (
	"context"

	"github.com/mkr-dev/mkr/backend/store"
)

// PutGraphDefs creates or replaces definitions by name, all or none.
func (c Core) PutGraphDefs(ctx context.Context, defs []store.GraphDef) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		now := c.Now().Unix()
		for _, d := range defs {
			_, err := q.Exec(ctx, `INSERT INTO graph_defs (name, display_name, unit, metrics, updated_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (name) DO UPDATE SET display_name = excluded.display_name, unit = excluded.unit,
				metrics = excluded.metrics, updated_at = excluded.updated_at`,
				d.Name, d.DisplayName, d.Unit, orDefault(d.Metrics, "[]"), now)
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteGraphDef removes a definition; ErrNotFound when there is none.
func (c Core) DeleteGraphDef(ctx context.Context, name string) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		n, err := q.Exec(ctx, `DELETE FROM graph_defs WHERE name = ?`, name)
		return mustAffect(n, err, store.NotFound("graph definition", name))
	})
}

// ListGraphDefs returns every definition by name.
func (c Core) ListGraphDefs(ctx context.Context) ([]store.GraphDef, error) {
	return listOf(func(row Row) (d store.GraphDef, err error) {
		return d, row.Scan(&d.Name, &d.DisplayName, &d.Unit, &d.Metrics)
	})(c.E.Reader().Query(ctx, `SELECT name, display_name, unit, metrics FROM graph_defs ORDER BY name`))
}
