package postgres

// Every store method not yet ported to PostgreSQL, so that the package
// compiles (and store.Store is implemented) while the port proceeds:
// each returns errNotYetOnPostgres. Whoever ports a method deletes its
// stub here.

import (
	"context"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

// errNotYetOnPostgres is what a method not yet ported returns: a clear
// failure instead of a silent no-op.
var errNotYetOnPostgres = errors.New("postgres: this store method is not yet implemented on PostgreSQL (issue #15); use SQLite")

func (*Store) Compact(_ context.Context, _ store.CompactOptions) (store.CompactResult, error) {
	return store.CompactResult{}, errNotYetOnPostgres
}

func (*Store) Rollups(_ context.Context, _ store.SeriesKey, _ int64, _ int64, _ int64) ([]store.Rollup, error) {
	return nil, errNotYetOnPostgres
}
