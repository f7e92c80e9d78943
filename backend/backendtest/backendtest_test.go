package backendtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

func TestEnv(t *testing.T) {
	env := backendtest.New(t)
	ctx := context.Background()

	empty := env.MustDump(t)
	id := env.MustCreateHost(t, store.NewHost{Name: "web01", Roles: []store.RoleRef{{Service: "web", Role: "app"}}})
	if env.MustDump(t) == empty {
		t.Fatal("MustDump did not change after a write")
	}

	// The in-process client reaches the handler and sees the fixed clock.
	h, err := env.Client.FindHost(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if h.Name != "web01" || h.Status != client.HostStatusWorking || h.CreatedAt != backendtest.Epoch.Unix() {
		t.Fatalf("FindHost = %+v, want web01, working, created at Epoch", h)
	}
	env.Clock.Advance(time.Minute)
	if got, want := env.Store.Now(), backendtest.Epoch.Add(time.Minute); !got.Equal(want) {
		t.Fatalf("store clock = %v, want %v", got, want)
	}

	// The httptest server serves the same handler.
	srv := env.NewServer(t)
	resp, err := http.Get(srv.URL + "/api/v0/services")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Services []client.Service `json:"services"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if len(body.Services) != 1 || body.Services[0].Name != "web" {
		t.Fatalf("services over HTTP = %+v, want web", body.Services)
	}

	env.MustCreateService(t, "db", "primary", "replica")
	roles, err := env.Client.FindRoles(ctx, "db")
	if err != nil || len(roles) != 2 {
		t.Fatalf("FindRoles(db) = %+v, %v", roles, err)
	}
}

func TestEnvOptions(t *testing.T) {
	path := t.TempDir() + "/shared.db"
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	first := backendtest.NewWithOptions(t, backendtest.Options{Path: path, Start: start})
	id := first.MustCreateHost(t, store.NewHost{Name: "h"})

	// A second Env on the same file sees the data.
	second := backendtest.NewWithOptions(t, backendtest.Options{Path: path})
	h, err := second.Client.FindHost(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if h.CreatedAt != start.Unix() {
		t.Fatalf("CreatedAt = %d, want the first Env's start %d", h.CreatedAt, start.Unix())
	}
	if !strings.Contains(backendtest.MustDumpFile(t, path), id) {
		t.Fatal("MustDumpFile does not show the host")
	}
}

// The same Env on PostgreSQL (skipped, with a message, without a server):
// UseDBEngine reaches the Envs of subtests, MustDump sees writes, and a
// second Env on the first one's URL shares its database, as a second
// replica would.
func TestEnvOnPostgres(t *testing.T) {
	backendtest.UseDBEngine(t, backendtest.DBPostgres)
	t.Run("Env", TestEnv)
	t.Run("SharedDatabase", func(t *testing.T) {
		first := backendtest.New(t)
		if first.DBEngine != backendtest.DBPostgres || !strings.HasPrefix(first.Path, "postgres") {
			t.Fatalf("Env on %q at %q, want PostgreSQL", first.DBEngine, first.Path)
		}
		id := first.MustCreateHost(t, store.NewHost{Name: "web01"})
		second := backendtest.NewWithOptions(t, backendtest.Options{Path: first.Path})
		if h, err := second.Client.FindHost(context.Background(), id); err != nil || h.Name != "web01" {
			t.Fatalf("FindHost on the second Env = %+v, %v", h, err)
		}
		if a, b := first.MustDump(t), second.MustDump(t); a != b || !strings.Contains(a, id) {
			t.Fatalf("the two Envs dump differently, or without the host:\n%s\n---\n%s", a, b)
		}
	})
}
