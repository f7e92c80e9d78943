package backend_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/auth"
	"github.com/mkr-dev/mkr/backend/store/postgres/pgtest"
)

// A postgres:// DSN opens PostgreSQL: what one backend writes, another
// backend opened on the same URL (a second replica) reads, and an API key
// made through one authorizes requests on the other.
func TestOpenPostgresURL(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	one, err := backend.Open(ctx, dsn, backend.Options{})
	if err != nil {
		t.Fatalf("Open(postgres URL): %v", err)
	}
	defer one.Close()
	two, err := backend.Open(ctx, strings.Replace(dsn, "postgres://", "postgresql://", 1), backend.Options{})
	if err != nil {
		t.Fatalf("Open(postgresql URL): %v", err)
	}
	defer two.Close()

	req := httptest.NewRequest(http.MethodPost, "/api/v0/services", strings.NewReader(`{"name":"web","memo":""}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	one.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("POST /services on replica one: %d %s", rec.Code, rec.Body)
	}

	_, key, err := one.CreateAPIKey(ctx, "ci", false)
	if err != nil {
		t.Fatal(err)
	}
	req = httptest.NewRequest(http.MethodGet, "/api/v0/services", nil)
	req.Header.Set("X-Api-Key", key)
	rec = httptest.NewRecorder()
	two.AuthorizedHandler(auth.Config{}).ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"name":"web"`) {
		t.Fatalf("GET /services on replica two with replica one's key: %d %s", rec.Code, rec.Body)
	}
}
