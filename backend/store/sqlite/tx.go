package sqlite

import (
	"context"
	"database/sql"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/internal/sqlstore"
)

// txn is store.Tx over one SQLite write transaction: row-level reads and
// writes that package engine composes into its rules.
type txn struct {
	// Tx is the half whose SQL both engines share (package sqlstore).
	*sqlstore.Tx
	tx *sql.Tx
	s  *Store
	// committed runs after a successful commit (cache upkeep).
	committed []func()
}

var _ store.Tx = (*txn)(nil)

// InTx runs fn in one write transaction (see store.Store).
func (s *Store) InTx(ctx context.Context, fn func(store.Tx) error) error {
	var t *txn
	err := s.tx(ctx, func(tx *sql.Tx) error {
		t = &txn{Tx: sqlstore.NewTx(sq{c: tx}, s.now), tx: tx, s: s}
		return fn(t)
	})
	if err == nil {
		for _, f := range t.committed {
			f()
		}
	}
	return err
}

// DeleteService removes a service as Store.DeleteService does.
func (t *txn) DeleteService(ctx context.Context, name string) (*store.Service, error) {
	svc, err := deleteService(ctx, t.tx, name)
	if err == nil {
		t.committed = append(t.committed, func() { t.s.forgetServiceSeries(name) })
	}
	return svc, err
}
