package backend_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/auth"
	"github.com/mkr-dev/mkr/backend/backendtest"
)

const (
	healthyBody   = `{"status":"ok"}`
	unhealthyBody = `{"status":"unavailable"}`
)

// getHealthz asks h for GET /healthz as a load balancer does: no key, a
// Host that is no loopback name.
func getHealthz(t *testing.T, h http.Handler) (int, string) {
	t.Helper()
	req := httptest.NewRequest("GET", "http://10.0.0.7:8080/healthz", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	return rec.Code, rec.Body.String()
}

// TestHealthz: GET /healthz answers a load balancer without a key, 200
// while the store answers and 503 once it cannot, on both engines, and
// says nothing more than that.
func TestHealthz(t *testing.T) {
	t.Parallel()
	for _, db := range []backendtest.DBEngine{backendtest.DBSQLite, backendtest.DBPostgres} {
		t.Run(string(db), func(t *testing.T) {
			t.Parallel()
			env := backendtest.NewWithOptions(t, backendtest.Options{DBEngine: db})
			if _, _, err := env.Backend.CreateAPIKey(context.Background(), "rw", false); err != nil {
				t.Fatal(err)
			}
			served := env.Backend.AuthorizedHandler(auth.Config{})
			if code, body := getHealthz(t, served); code != http.StatusOK || body != healthyBody {
				t.Errorf("healthy store: got %d %s, want 200 %s", code, body, healthyBody)
			}

			// A second replica over the same database, whose store is gone.
			other, err := backend.Open(context.Background(), env.Path, backend.Options{Now: env.Clock.Now})
			if err != nil {
				t.Fatal(err)
			}
			otherServed := other.AuthorizedHandler(auth.Config{})
			if code, body := getHealthz(t, otherServed); code != http.StatusOK {
				t.Fatalf("second replica, open: got %d %s, want 200", code, body)
			}
			if err := other.Close(); err != nil {
				t.Fatal(err)
			}
			if code, body := getHealthz(t, otherServed); code != http.StatusServiceUnavailable || body != unhealthyBody {
				t.Errorf("closed store: got %d %s, want 503 %s", code, body, unhealthyBody)
			}
			// The first replica is unaffected.
			if code, body := getHealthz(t, served); code != http.StatusOK || body != healthyBody {
				t.Errorf("the other replica: got %d %s, want 200 %s", code, body, healthyBody)
			}
		})
	}
}

// TestHealthzStuckDatabase: a database that holds the query past the
// timeout (here, a lock another session keeps on the row it reads) makes
// the replica report itself down rather than leave the balancer's probe
// hanging; released, it is healthy again. PostgreSQL only: SQLite's
// readers are never blocked by a lock.
func TestHealthzStuckDatabase(t *testing.T) {
	t.Parallel()
	env := backendtest.NewWithOptions(t, backendtest.Options{DBEngine: backendtest.DBPostgres})
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, env.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE org IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	if code, body := getHealthz(t, env.Handler); code != http.StatusServiceUnavailable || body != unhealthyBody {
		t.Errorf("locked: got %d %s, want 503 %s", code, body, unhealthyBody)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if code, body := getHealthz(t, env.Handler); code != http.StatusOK || body != healthyBody {
		t.Errorf("released: got %d %s, want 200 %s", code, body, healthyBody)
	}
}
