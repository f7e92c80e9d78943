package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/mkr-dev/mkr/backend/store"
)

// commitGroup runs the group's requests in one write transaction, each in
// its own savepoint, and sets every request's result.
func (s *Store) commitGroup(group []*insertRequest) {
	live := make([]*insertRequest, 0, len(group))
	for _, r := range group {
		if err := r.ctx.Err(); err != nil {
			r.err = err // gone before it started: nothing to do
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	ctx, cancel := allDone(live)
	defer cancel()
	var w *pointWriter
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if w, err = newPointWriter(ctx, s, tx); err != nil {
			return err
		}
		defer w.close()
		for _, r := range live {
			if err := w.insertSaved(ctx, r); err != nil {
				return err // the transaction is lost: every request fails
			}
		}
		return nil
	})
	if err != nil {
		for _, r := range live {
			r.res = store.InsertResult{}
			if r.err == nil {
				r.err = err
			}
		}
		return
	}
	// Only now are the new ids real (a rolled-back id may be handed out
	// again, to another series): the shared cache learns them.
	for k, id := range w.created {
		s.series.put(k, id)
	}
}

// pointWriter writes requests inside one group transaction. Statements are
// prepared once per transaction, not per request.
type pointWriter struct {
	s      *Store
	tx     *sql.Tx
	insert *sql.Stmt
	find   *sql.Stmt // prepared on the first cache miss
	create *sql.Stmt
	// created holds the ids of series created (or looked up) by the
	// requests released so far; pending, those of the request running.
	created, pending map[store.SeriesKey]int64
}

func newPointWriter(ctx context.Context, s *Store, tx *sql.Tx) (*pointWriter, error) {
	insert, err := tx.PrepareContext(ctx, `INSERT INTO points (series_id, time, value) VALUES (?, ?, ?)
		ON CONFLICT (series_id, time) DO UPDATE SET value = excluded.value`)
	if err != nil {
		return nil, err
	}
	return &pointWriter{s: s, tx: tx, insert: insert, created: map[store.SeriesKey]int64{}}, nil
}

func (w *pointWriter) close() {
	for _, st := range []*sql.Stmt{w.insert, w.find, w.create} {
		if st != nil {
			st.Close()
		}
	}
}

// insertSaved runs one request in a savepoint and records its result. A
// request that fails is rolled back to its savepoint and the transaction
// goes on; only when that rollback itself fails (SQLite rolled the whole
// transaction back: a full disk, an interrupt) is the error returned, and
// the group is lost.
func (w *pointWriter) insertSaved(ctx context.Context, r *insertRequest) error {
	res, err := w.attempt(ctx, r)
	if isForeignKeyError(err) && !errors.Is(err, errGroupLost) {
		// Another process deleted a series whose id was cached: forget
		// the cache and try once more.
		w.s.series.forget(func(store.SeriesKey) bool { return false })
		res, err = w.attempt(ctx, r)
	}
	if err != nil {
		if errors.Is(err, errGroupLost) {
			return err
		}
		r.err = classify(err)
		return nil
	}
	r.res = res
	return nil
}

// errGroupLost marks a failure that ended the whole transaction.
var errGroupLost = errors.New("group transaction lost")

// attempt runs the request between SAVEPOINT and RELEASE, or rolls it back
// to the savepoint.
func (w *pointWriter) attempt(ctx context.Context, r *insertRequest) (store.InsertResult, error) {
	if _, err := w.tx.ExecContext(ctx, `SAVEPOINT ingest`); err != nil {
		return store.InsertResult{}, fmt.Errorf("%w: %w", errGroupLost, err)
	}
	w.pending = map[store.SeriesKey]int64{}
	res, err := w.write(ctx, r)
	if err == nil {
		if _, err = w.tx.ExecContext(ctx, `RELEASE ingest`); err == nil {
			for k, id := range w.pending {
				w.created[k] = id
			}
			return res, nil
		}
	}
	// ROLLBACK TO keeps the savepoint open; RELEASE then ends it.
	if _, rbErr := w.tx.ExecContext(ctx, `ROLLBACK TO ingest`); rbErr != nil {
		return store.InsertResult{}, fmt.Errorf("%w: %w (rolling back: %w)", errGroupLost, err, rbErr)
	}
	if _, rbErr := w.tx.ExecContext(ctx, `RELEASE ingest`); rbErr != nil {
		return store.InsertResult{}, fmt.Errorf("%w: %w (releasing: %w)", errGroupLost, err, rbErr)
	}
	return store.InsertResult{}, err
}

// write stores one request's points: owners checked first (so a post for
// an unknown host stores nothing even when all its points are old), then
// the points in stream order.
func (w *pointWriter) write(ctx context.Context, r *insertRequest) (store.InsertResult, error) {
	var res store.InsertResult
	keys := r.src.Series()
	retired, err := requireSeriesOwners(ctx, w.tx, keys)
	if err != nil {
		return res, err
	}
	ids := make([]int64, len(keys)) // 0: not resolved yet (ids start at 1)
	contacted := map[string]bool{}
	err = r.src.Each(func(chunk []store.StreamPoint) error {
		for _, p := range chunk {
			k := &keys[p.Series]
			// A retired host's point is counted as such even when old:
			// re-sending it would never help.
			if k.Kind == "host" && retired[k.Owner] {
				res.RetiredHost++
				continue
			}
			if p.Time < r.oldest {
				res.TooOld++
				continue
			}
			id := ids[p.Series]
			if id == 0 {
				var err error
				if id, err = w.id(ctx, *k); err != nil {
					return err
				}
				ids[p.Series] = id
				if k.Kind == "host" {
					contacted[k.Owner] = true
				}
			}
			if _, err := w.insert.ExecContext(ctx, id, p.Time, p.Value); err != nil {
				return err
			}
			res.Stored++
		}
		return nil
	})
	if err != nil {
		return store.InsertResult{}, err
	}
	return res, recordHostContacts(ctx, w.tx, contacted, w.s.now().Unix())
}

// id returns the id of k, creating the series if needed. Ids found or
// created in this transaction are kept apart from the shared cache until
// commit (see commitGroup).
func (w *pointWriter) id(ctx context.Context, k store.SeriesKey) (int64, error) {
	if id, ok := w.pending[k]; ok {
		return id, nil
	}
	if id, ok := w.created[k]; ok {
		return id, nil
	}
	if id, ok := w.s.series.get(k); ok {
		return id, nil
	}
	// Not cached (new, or evicted): look it up, or create it. The write
	// lock is held (BEGIN IMMEDIATE), so no one can create it in between.
	var err error
	if w.find == nil {
		if w.find, err = w.tx.PrepareContext(ctx, `SELECT id FROM series WHERE kind = ? AND owner = ? AND name = ?`); err != nil {
			return 0, err
		}
		if w.create, err = w.tx.PrepareContext(ctx, `INSERT INTO series (kind, owner, name) VALUES (?, ?, ?)`); err != nil {
			return 0, err
		}
	}
	var id int64
	err = w.find.QueryRowContext(ctx, k.Kind, k.Owner, k.Name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		var res sql.Result
		if res, err = w.create.ExecContext(ctx, k.Kind, k.Owner, k.Name); err == nil {
			id, err = res.LastInsertId()
		}
	}
	if err != nil {
		return 0, err
	}
	w.pending[k] = id
	return id, nil
}
