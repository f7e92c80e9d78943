package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/internal/sqlstore"
)

// maxTxAttempts bounds how often tx runs a transaction that keeps losing
// serialization conflicts; past it the conflict is returned.
const maxTxAttempts = 12

// tx runs fn in one SERIALIZABLE transaction, committing when it returns
// nil. SQLite runs one writer at a time, and the store's read-then-write
// rules (a custom identifier still free, the next seq, a quota) rely on
// it; SERIALIZABLE gives the same guarantee across connections and
// replicas, at the price of a conflict error when two transactions
// overlap — retried here, from the start, with jittered backoff. fn must
// therefore be safe to run again (no effects outside the transaction:
// cache upkeep goes in txn.committed).
func (s *Store) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return s.txAt(ctx, pgx.Serializable, fn)
}

// ingestTx runs a metric insert at READ COMMITTED. Under SERIALIZABLE,
// agents' first posts (each creating its host's hundred series) conflicted
// through the series index's predicate locks faster than retries could
// absorb: the load test saw 500s at 4 concurrent posts. An insert needs
// none of SERIALIZABLE's guarantees: series creation is an idempotent
// upsert (insert.go re-reads what a concurrent insert created), points
// are upserts, and the freeze of days being sealed is ordered by a share
// lock on tier_state's row (frozenBeforeSQL). It is retried like tx on
// the deadlocks that remain possible.
func (s *Store) ingestTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return s.txAt(ctx, pgx.ReadCommitted, fn)
}

func (s *Store) txAt(ctx context.Context, iso pgx.TxIsoLevel, fn func(pgx.Tx) error) error {
	var err error
	for attempt := 0; attempt < maxTxAttempts; attempt++ {
		if attempt > 0 {
			backoff := time.Duration(1<<min(attempt, 7)) * time.Millisecond
			select {
			case <-time.After(backoff/2 + rand.N(backoff)):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		err = s.tryTx(ctx, iso, fn)
		if !retryable(err) {
			return mapErr(err)
		}
	}
	return mapErr(err)
}

func (s *Store) tryTx(ctx context.Context, iso pgx.TxIsoLevel, fn func(pgx.Tx) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: iso})
	if err != nil {
		return fmt.Errorf("starting transaction: %w", err)
	}
	if err := fn(tx); err != nil {
		rollback(tx)
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	return nil
}

// rollback ends a failed transaction. Its own failure is not reported: it
// means a broken connection, which the pool discards anyway, and the
// server rolls back whatever such a connection left open.
func rollback(tx pgx.Tx) {
	// A fresh context: fn may have failed because ctx was cancelled, and
	// the rollback must still reach the server.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tx.Rollback(ctx)
}

// txn is store.Tx over one PostgreSQL transaction: row-level reads and
// writes that package engine composes into its rules.
type txn struct {
	// Tx is the half whose SQL both engines share (package sqlstore).
	*sqlstore.Tx
	tx pgx.Tx
	s  *Store
	// committed runs after a successful commit (cache upkeep).
	committed []func()
}

var _ store.Tx = (*txn)(nil)

// InTx runs fn in one write transaction (see store.Store). A retried
// attempt starts with a fresh txn, so only the committed attempt's
// callbacks run.
func (s *Store) InTx(ctx context.Context, fn func(store.Tx) error) error {
	var t *txn
	err := s.tx(ctx, func(tx pgx.Tx) error {
		t = &txn{Tx: sqlstore.NewTx(pq{tx}, s.now), tx: tx, s: s}
		return fn(t)
	})
	if err == nil {
		for _, f := range t.committed {
			f()
		}
	}
	return err
}
