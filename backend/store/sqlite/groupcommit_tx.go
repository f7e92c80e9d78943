package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"

	"github.com/mkr-dev/mkr/backend/store"
)

// commitGroup runs the group's requests in one write transaction and sets
// every request's result.
//
// No savepoint per request: SQLite copies every page a savepoint first
// touches into a sub-journal, which cost about as much as the inserts.
// Instead a request fails cleanly before it writes anything (its owners
// are checked first: the unknown host of a 404), and the rare failure in
// the middle of a request's writes (its stream breaks, a cached series id
// is stale) rolls the whole transaction back and runs it again without
// that request — or, for the stale id, with the cache forgotten. Each
// caller still gets its own result, and one request never sinks another.
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
	// Prepared before the transaction: preparing on the write pool takes
	// its one connection, which the transaction would hold.
	st, err := s.ingest.statements(ctx)
	if err != nil {
		for _, r := range live {
			r.err = err
		}
		return
	}
	forgotten := false
	for len(live) > 0 {
		var w *pointWriter
		var broken *insertRequest // failed after writing: the transaction must go
		var brokenErr error
		err := s.tx(ctx, func(tx *sql.Tx) error {
			var err error
			if w, err = newPointWriter(ctx, s, st, tx); err != nil {
				return err
			}
			defer w.close()
			for _, r := range live {
				var clean bool
				r.res, r.err, clean = w.write(ctx, r)
				if r.err != nil && !clean {
					broken, brokenErr = r, r.err
					return errGroupRetry
				}
			}
			// Once for the group: the hosts of every request stored.
			return recordHostContacts(context.WithoutCancel(ctx), tx, w.contacted, s.now().Unix())
		})
		switch {
		case broken != nil && isForeignKeyError(brokenErr) && !forgotten:
			// Another process deleted a series whose id was cached:
			// forget the cache and run the group again.
			s.series.ForgetAll()
			forgotten = true
			continue
		case broken != nil:
			broken.res, broken.err = store.InsertResult{}, classify(brokenErr)
			live = slices.DeleteFunc(live, func(r *insertRequest) bool { return r == broken })
			continue
		case err != nil:
			for _, r := range live {
				r.res = store.InsertResult{}
				if r.err == nil {
					r.err = err
				}
			}
			return
		}
		// Only now are the new ids real (a rolled-back id may be handed
		// out again, to another series): the shared cache learns them.
		s.series.Put(w.created)
		return
	}
}

// errGroupRetry rolls back a group transaction that one request broke.
var errGroupRetry = errors.New("a request failed half-written; running the group again without it")

// pointWriter writes requests inside one group transaction. Statements are
// prepared once per transaction, not per request.
type pointWriter struct {
	s           *Store
	st          *ingestStatements
	tx          *sql.Tx
	insert      *sql.Stmt
	hostRetired *sql.Stmt // requireSeriesOwners' host lookup
	owned       *sql.Stmt // prepared on the first cache miss
	find        *sql.Stmt
	create      *sql.Stmt
	// created holds the ids of series created or looked up in this
	// transaction, for the cache once it commits.
	created map[store.SeriesKey]int64
	// loaded holds the owners already read in this transaction: true when
	// every series of theirs is in created (a key still missing there is
	// new), false for an owner with more than maxOwnerLoad series.
	loaded map[seriesOwner]bool
	// contacted holds the hosts that had points stored by the requests
	// written so far; host_contacts is written once per group.
	contacted map[string]bool
}

// maxOwnerLoad bounds the series one owner's load reads: an agent has a
// few hundred, but a service fed by a fleet may have far more, and a post
// of one of its metrics should not read them all. Past it, the owner's
// other series are looked up one by one.
const maxOwnerLoad = 2048

// seriesOwner is a host or a service, the unit a series lookup loads.
type seriesOwner struct{ kind, owner string }

func newPointWriter(ctx context.Context, s *Store, st *ingestStatements, tx *sql.Tx) (*pointWriter, error) {
	return &pointWriter{s: s, st: st, tx: tx, insert: tx.StmtContext(ctx, st.insert), hostRetired: tx.StmtContext(ctx, st.hostRetired),
		created: map[store.SeriesKey]int64{}, loaded: map[seriesOwner]bool{}, contacted: map[string]bool{}}, nil
}

// ingestStatements are the group commit's statements, prepared once on
// the write pool and bound to each transaction with Tx.StmtContext, which
// reuses the connection's prepared statement: under a fleet of agents
// most groups hold a post or two, and preparing five statements per
// group (SQLite parses each) cost about as much as the inserts.
type ingestStatements struct {
	insert, hostRetired, owned, find, create *sql.Stmt
}

// statements prepares the statements on first use, outside any
// transaction (the write pool has one connection). Only the committer's
// goroutine calls it, one at a time; the mutex orders successive ones.
func (c *committer) statements(ctx context.Context) (*ingestStatements, error) {
	c.stmtMu.Lock()
	defer c.stmtMu.Unlock()
	if c.stmts != nil {
		return c.stmts, nil
	}
	var st ingestStatements
	for _, p := range []struct {
		to  **sql.Stmt
		sql string
	}{
		{&st.insert, `INSERT INTO points (series_id, time, value) VALUES (?, ?, ?)
		ON CONFLICT (series_id, time) DO UPDATE SET value = excluded.value`},
		{&st.hostRetired, hostRetiredQuery},
		{&st.owned, ownerSeriesQuery},
		{&st.find, `SELECT id FROM series WHERE kind = ? AND owner = ? AND name = ?`},
		{&st.create, `INSERT INTO series (kind, owner, name) VALUES (?, ?, ?)`},
	} {
		var err error
		if *p.to, err = c.s.write.PrepareContext(ctx, p.sql); err != nil {
			for _, done := range []*sql.Stmt{st.insert, st.hostRetired, st.owned, st.find, st.create} {
				if done != nil {
					done.Close()
				}
			}
			return nil, err
		}
	}
	c.stmts = &st
	return c.stmts, nil
}

func (w *pointWriter) close() {
	for _, st := range []*sql.Stmt{w.insert, w.hostRetired, w.owned, w.find, w.create} {
		if st != nil {
			st.Close()
		}
	}
}

// write stores one request's points: owners checked first (so a post for
// an unknown host stores nothing even when all its points are old), then
// the points in stream order. clean reports a failure before any write.
//
// Statements run under a context that cannot be cancelled (the driver
// would start a goroutine per statement to watch it); ctx is checked
// between chunks instead.
func (w *pointWriter) write(ctx context.Context, r *insertRequest) (res store.InsertResult, err error, clean bool) {
	keys := r.src.Series()
	retired, err := requireSeriesOwners(ctx, w.tx, w.hostRetired, keys)
	if err != nil {
		return res, err, true
	}
	sctx := context.WithoutCancel(ctx)
	ids := make([]int64, len(keys)) // 0: not resolved yet (ids start at 1)
	contacted := map[string]bool{}
	err = r.src.Each(func(chunk []store.StreamPoint) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, p := range chunk {
			k := &keys[p.Series]
			if !res.Admit(k, retired, p.Time, r.oldest) {
				continue
			}
			id := ids[p.Series]
			if id == 0 {
				var err error
				if id, err = w.id(sctx, *k); err != nil {
					return err
				}
				ids[p.Series] = id
				if k.Kind == "host" {
					contacted[k.Owner] = true
				}
			}
			if _, err := w.insert.ExecContext(sctx, id, p.Time, p.Value); err != nil {
				return err
			}
			res.Stored++
		}
		return nil
	})
	if err != nil {
		return store.InsertResult{}, err, false
	}
	for h := range contacted {
		w.contacted[h] = true
	}
	return res, nil, false
}

// id returns the id of k, creating the series if needed. Ids found or
// created in this transaction are kept apart from the shared cache until
// commit (see commitGroup).
//
// A miss loads all of k's owner's series at once, with one range read of
// the UNIQUE (kind, owner, name) index: an agent posts the same ~100
// metrics every minute, so its post costs one lookup, not 100, even when
// the fleet has far more series than the cache holds (50,000 agents are 5
// M series and a cache of 300,000 never hits in a cycle).
func (w *pointWriter) id(ctx context.Context, k store.SeriesKey) (int64, error) {
	if id, ok := w.created[k]; ok {
		return id, nil
	}
	if id, ok := w.s.series.Get(k); ok {
		return id, nil
	}
	if err := w.prepareLookups(ctx); err != nil {
		return 0, err
	}
	o := seriesOwner{k.Kind, k.Owner}
	complete, read := w.loaded[o]
	if !read {
		var err error
		if complete, err = w.loadOwner(ctx, o); err != nil {
			return 0, err
		}
		if id, ok := w.created[k]; ok {
			return id, nil
		}
	}
	if !complete {
		var id int64
		err := w.find.QueryRowContext(ctx, k.Kind, k.Owner, k.Name).Scan(&id)
		if err == nil {
			w.created[k] = id
			return id, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
	}
	// New: the write lock is held (BEGIN IMMEDIATE), so no one can create
	// it in between.
	res, err := w.create.ExecContext(ctx, k.Kind, k.Owner, k.Name)
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	w.created[k] = id
	return id, nil
}

func (w *pointWriter) prepareLookups(ctx context.Context) error {
	if w.owned != nil {
		return nil
	}
	w.owned, w.find, w.create = w.tx.StmtContext(ctx, w.st.owned), w.tx.StmtContext(ctx, w.st.find), w.tx.StmtContext(ctx, w.st.create)
	return nil
}

// loadOwner puts o's series into created, at most maxOwnerLoad of them;
// complete reports that they were all.
func (w *pointWriter) loadOwner(ctx context.Context, o seriesOwner) (complete bool, err error) {
	rows, err := w.owned.QueryContext(ctx, o.kind, o.owner, maxOwnerLoad+1)
	if err != nil {
		return false, err
	}
	ids, complete, err := scanOwnerSeries(rows, o.kind, o.owner)
	if err != nil {
		return false, err
	}
	maps.Copy(w.created, ids)
	w.loaded[o] = complete
	return complete, nil
}
