package backend

import (
	"context"
	"net/http"

	"github.com/mkr-dev/mkr/backend/auth"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/postgres"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
	"github.com/mkr-dev/mkr/internal/dbdsn"
)

// Open opens the store named by dsn and builds the backend over it: a
// postgres:// or postgresql:// URL opens PostgreSQL, anything else is a
// SQLite file path. The backend owns the store: Close releases it. The
// CLI reaches the store only through this package.
func Open(ctx context.Context, dsn string, opts Options) (*Backend, error) {
	var st store.Store
	var err error
	if dbdsn.IsPostgres(dsn) {
		st, err = postgres.Open(ctx, dsn, store.Options{Now: opts.Now})
	} else {
		st, err = sqlite.Open(ctx, dsn, store.Options{Now: opts.Now})
	}
	if err != nil {
		return nil, err
	}
	b := New(st, opts)
	b.owned = true
	return b, nil
}

// Close releases the store when this backend opened it.
func (b *Backend) Close() error {
	if b.owned {
		return b.store.Close()
	}
	return nil
}

// CreateAPIKey makes a new random key and returns its record and the key.
func (b *Backend) CreateAPIKey(ctx context.Context, name string, readOnly bool) (*auth.APIKey, string, error) {
	return b.store.CreateAPIKey(ctx, name, readOnly)
}

// ListAPIKeys lists every key, revoked ones included.
func (b *Backend) ListAPIKeys(ctx context.Context) ([]*auth.APIKey, error) {
	return b.store.ListAPIKeys(ctx)
}

// RevokeAPIKey revokes the key with id.
func (b *Backend) RevokeAPIKey(ctx context.Context, id string) error {
	return b.store.RevokeAPIKey(ctx, id)
}

// CountAPIKeys counts the active keys and all keys ever made.
func (b *Backend) CountAPIKeys(ctx context.Context) (auth.KeyCounts, error) {
	return b.store.CountAPIKeys(ctx)
}

// AuthorizedHandler returns the API handler that checks X-Api-Key on every
// routed request: 401 without a valid key, 403 for a read-only key on a
// write.
func (b *Backend) AuthorizedHandler(cfg auth.Config) http.Handler {
	a := &auth.Authorizer{Keys: b.store, Config: cfg}
	nb := *b
	nb.opts.Authorize = a.Authorize
	nb.mux = http.NewServeMux()
	nb.routes()
	return nb.mux
}
