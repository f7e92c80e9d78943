package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/engine"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
)

// migrationCount is the number of embedded migrations, i.e. the
// user_version of an up-to-date database.
func migrationCount(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			n++
		}
	}
	if n == 0 {
		t.Fatal("no migrations found")
	}
	return n
}

// rawDB opens the file directly, bypassing the store (the driver is
// registered by the store package).
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func userVersion(t *testing.T, path string) int {
	t.Helper()
	db := rawDB(t, path)
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	db.Close()
	return v
}

func mustOpen(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	return backendtest.MustOpenStore(t, path, backendtest.NewClock(backendtest.Epoch))
}

func TestOpenMigratesIdempotently(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "sub", "dir", "mkr.db") // directories are created
	want := migrationCount(t)

	st := mustOpen(t, path)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if got := userVersion(t, path); got != want {
		t.Fatalf("user_version after first open = %d, want %d", got, want)
	}
	first := backendtest.MustDumpFile(t, path)

	for range 2 {
		st := mustOpen(t, path)
		org, err := st.GetOrg(context.Background())
		if err != nil || org.Name != "local" {
			t.Fatalf("GetOrg = %+v, %v; want the org named local", org, err)
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if got := userVersion(t, path); got != want {
		t.Fatalf("user_version after reopening = %d, want %d", got, want)
	}
	if again := backendtest.MustDumpFile(t, path); again != first {
		t.Fatalf("reopening changed the database:\n%s\nwant\n%s", again, first)
	}
	if st.Path() != path {
		t.Fatalf("Path() = %q, want %q", st.Path(), path)
	}
}

// A database written by an older mkr (only the first migration applied) is
// brought up to date in place, keeping its rows.
func TestOpenMigratesOlderDatabase(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "old.db")
	init, err := os.ReadFile(filepath.Join("migrations", "0001_init.sql"))
	if err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	for _, stmt := range []string{
		string(init),
		"PRAGMA user_version = 1",
		`INSERT INTO org (id, name, display_name) VALUES (1, 'acme', 'ACME Inc.')`,
		`INSERT INTO hosts (id, name, status, created_at) VALUES ('oldHost0001', 'legacy', 'standby', 1000)`,
		`INSERT INTO services (name, memo, created_at) VALUES ('web', 'kept', 1000)`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%.40s: %v", stmt, err)
		}
	}
	db.Close()

	st := mustOpen(t, path)
	ctx := context.Background()
	if got, want := userVersion(t, path), migrationCount(t); got != want {
		t.Fatalf("user_version = %d, want %d", got, want)
	}
	h, err := st.GetHost(ctx, "oldHost0001")
	if err != nil {
		t.Fatal(err)
	}
	if h.Name != "legacy" || h.Status != "standby" || h.CreatedAt != 1000 || h.Size != "standard" {
		t.Fatalf("old host = %+v, want it unchanged", h)
	}
	org, err := st.GetOrg(ctx)
	if err != nil || *org != (store.Org{Name: "acme", DisplayName: "ACME Inc."}) {
		t.Fatalf("org = %+v, %v; want the existing one kept", org, err)
	}
	svc, err := st.GetService(ctx, "web")
	if err != nil || svc.Memo != "kept" {
		t.Fatalf("service = %+v, %v", svc, err)
	}
	// And the migrated database takes new writes.
	if _, err := st.CreateHost(ctx, store.NewHost{Name: "new", Status: "working"}); err != nil {
		t.Fatal(err)
	}
}

// Data written through one Store is there after closing and reopening.
func TestReopenKeepsData(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mkr.db")
	ctx := context.Background()
	st := mustOpen(t, path)
	id, err := st.CreateHost(ctx, store.NewHost{Name: "h", Status: "working", CustomIdentifier: "ci",
		Meta: []byte(`{"kernel":{"name":"Linux"}}`), Roles: []store.RoleRef{{Service: "web", Role: "app"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutMetadata(ctx, store.MetadataOwner{HostID: id}, "ns", []byte(`[1,2]`)); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st = mustOpen(t, path)
	h, err := st.GetHost(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if h.CustomIdentifier != "ci" || string(h.Meta) != `{"kernel":{"name":"Linux"}}` || len(h.Roles["web"]) != 1 {
		t.Fatalf("host after reopen = %+v", h)
	}
	v, _, err := st.GetMetadata(ctx, store.MetadataOwner{HostID: id}, "ns")
	if err != nil || string(v) != `[1,2]` {
		t.Fatalf("metadata after reopen = %s, %v", v, err)
	}
}

// A database from a newer mkr is refused, not downgraded or damaged.
func TestOpenRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mkr.db")
	if err := mustOpen(t, path).Close(); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	if _, err := db.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	st, err := sqlite.Open(context.Background(), path, store.Options{})
	if err == nil {
		st.Close()
		t.Fatal("Open of a newer schema succeeded")
	}
	if !strings.Contains(err.Error(), "database schema version 999 is newer than this mkr") {
		t.Fatalf("error = %v, want it to name the newer schema version", err)
	}
	if got := userVersion(t, path); got != 999 {
		t.Fatalf("user_version = %d after a refused open, want it untouched", got)
	}
}

// Reports accepted before migration 0005 (which keys check_reports on the
// result too) keep hiding any report at their second, as they did: their
// status was not kept, so a replay of one cannot be told from a new result.
func TestMigrationKeepsAcceptedCheckReports(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "old.db")
	db := rawDB(t, path)
	for _, name := range []string{"0001_init.sql", "0002_timeseries.sql", "0003_checks_alerts.sql", "0004_alert_index.sql"} {
		body, err := os.ReadFile(filepath.Join("migrations", name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	at := backendtest.Epoch.Unix() - 60
	for _, stmt := range []string{
		"PRAGMA user_version = 4",
		`INSERT INTO org (id, name) VALUES (1, 'local')`,
		`INSERT INTO hosts (id, name, status, created_at) VALUES ('oldHost0001', 'legacy', 'working', 1000)`,
		fmt.Sprintf(`INSERT INTO check_reports (host_id, name, occurred_at) VALUES ('oldHost0001', 'job', %d)`, at),
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%.40s: %v", stmt, err)
		}
	}
	db.Close()

	st := mustOpen(t, path)
	eng := engine.New(st)
	ctx := context.Background()
	rep := func(status string, at int64) store.CheckReport {
		return store.CheckReport{HostID: "oldHost0001", Name: "job", Status: status, Message: status, OccurredAt: at, MaxCheckAttempts: 1}
	}
	for _, status := range []string{"CRITICAL", "OK"} {
		if n, err := eng.ApplyCheckReports(ctx, []store.CheckReport{rep(status, at)}); err != nil || n != 0 {
			t.Fatalf("%s at the second of a report accepted before 0005: applied %d, %v; want ignored", status, n, err)
		}
	}
	for _, status := range []string{"CRITICAL", "OK"} {
		if n, err := eng.ApplyCheckReports(ctx, []store.CheckReport{rep(status, at+1)}); err != nil || n != 1 {
			t.Fatalf("%s at a later second: applied %d, %v; want applied", status, n, err)
		}
	}
}
