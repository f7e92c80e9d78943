package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// Hosts registered before migration 0014 have had their status, as far as
// anyone can tell, since they were created: that is their StatusChangedAt,
// not 0 (which would make every old standby host look decades overdue).
func TestMigrationBackfillsStatusChangedAt(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "old.db")
	db := rawDB(t, path)
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() >= "0014" {
			break
		}
		body, err := os.ReadFile(filepath.Join("migrations", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
	}
	for _, stmt := range []string{
		"PRAGMA user_version = 13",
		`INSERT INTO org (id, name) VALUES (1, 'local')`,
		`INSERT INTO hosts (id, name, status, created_at) VALUES ('oldHost0001', 'legacy', 'standby', 1000)`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%.40s: %v", stmt, err)
		}
	}
	db.Close()

	st := mustOpen(t, path)
	h, err := st.GetHost(context.Background(), "oldHost0001")
	if err != nil {
		t.Fatal(err)
	}
	if h.StatusChangedAt != 1000 {
		t.Fatalf("StatusChangedAt of a host from before 0014 = %d, want its creation 1000", h.StatusChangedAt)
	}
}
