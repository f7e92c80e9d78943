package sqlstore

import "context"

// listOf is collect for the store's List methods, whose empty answer is an
// empty slice rather than nil (the API writes [] for it, never null).
func listOf[T any](scan func(Row) (T, error)) func(Rows, error) ([]T, error) {
	return func(rows Rows, err error) ([]T, error) {
		out, err := collect(scan)(rows, err)
		if out == nil && err == nil {
			out = []T{}
		}
		return out, err
	}
}

// removeRow reads a row with get and deletes it with del (args its
// arguments) in one write transaction, and returns the row as it was:
// the store's Delete methods that answer with what they removed.
func removeRow[T any](ctx context.Context, c Core, get func(Q) (T, error), del string, args ...any) (T, error) {
	var out T
	err := c.E.WriteTx(ctx, func(q Q) error {
		v, err := get(q)
		if err != nil {
			return err
		}
		if _, err := q.Exec(ctx, del, args...); err != nil {
			return err
		}
		out = v
		return nil
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}
