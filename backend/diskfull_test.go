package backend_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"testing"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

// pageCount is the size of the database at path in pages.
func pageCount(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("PRAGMA page_count").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A full database or disk is answered 507 "Database or disk is full." (not
// "Internal server error."), the refused write changes nothing, and the
// server keeps working: reads succeed, and after a delete frees space a
// small write succeeds.
func TestDiskFull(t *testing.T) {
	t.Parallel()
	seed := backendtest.New(t)
	id := seed.MustCreateHost(t, store.NewHost{Name: "live"})
	env := backendtest.NewWithOptions(t, backendtest.Options{Path: seed.Path, MaxPages: pageCount(t, seed.Path) + 20})
	base := "/api/v0/hosts/" + id + "/metadata/"
	value := jsonString(50 << 10)

	stored := 0
	for ; stored < 50; stored++ {
		before := env.MustDump(t)
		resp := serve(t, env.Handler, "PUT", fmt.Sprintf("%sns%02d", base, stored), value)
		if resp.status == http.StatusOK {
			continue
		}
		wantError(t, resp, http.StatusInsufficientStorage, "Database or disk is full.")
		if after := env.MustDump(t); after != before {
			t.Fatalf("the refused write changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
		}
		break
	}
	if stored == 0 || stored == 50 {
		t.Fatalf("%d values of 50 KiB fitted into 20 spare pages; the test does not provoke a full database", stored)
	}

	if resp := serve(t, env.Handler, "GET", "/api/v0/hosts", ""); resp.status != http.StatusOK {
		t.Errorf("GET /hosts on a full database: %d %s", resp.status, resp.body)
	}
	if resp := serve(t, env.Handler, "GET", base+"ns00", ""); resp.status != http.StatusOK || string(resp.body) != value {
		t.Errorf("GET metadata on a full database: %d, %d bytes", resp.status, len(resp.body))
	}
	if resp := serve(t, env.Handler, "DELETE", base+"ns00", ""); resp.status != http.StatusOK {
		t.Fatalf("DELETE metadata on a full database: %d %s", resp.status, resp.body)
	}
	if resp := serve(t, env.Handler, "PUT", base+"small", `{"ok":true}`); resp.status != http.StatusOK {
		t.Fatalf("PUT after freeing space: %d %s", resp.status, resp.body)
	}
	if resp := serve(t, env.Handler, "GET", base+"small", ""); string(resp.body) != `{"ok":true}` {
		t.Errorf("GET metadata written after freeing space: %d %s", resp.status, resp.body)
	}
}
