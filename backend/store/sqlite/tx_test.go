package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/engine"
	"github.com/mkr-dev/mkr/backend/store"
)

// failOnRole installs a trigger that aborts any transaction linking a host
// to the role named "boom", i.e. a failure after the transaction has
// already written other rows.
func failOnRole(t *testing.T, path string) {
	t.Helper()
	db := rawDB(t, path)
	if _, err := db.Exec(`CREATE TRIGGER fail_boom BEFORE INSERT ON host_roles
		WHEN NEW.role = 'boom' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`); err != nil {
		t.Fatal(err)
	}
	db.Close()
}

// A transaction that fails half-way leaves nothing behind: not the host row
// written first, nor the services and roles created on the way.
func TestFailedTransactionLeavesNothing(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mkr.db")
	st := mustOpen(t, path)
	ctx := context.Background()
	keep, err := st.CreateHost(ctx, store.NewHost{Name: "keep", Status: "working", Roles: []store.RoleRef{{Service: "web", Role: "app"}}})
	if err != nil {
		t.Fatal(err)
	}
	failOnRole(t, path)
	before := backendtest.MustDumpFile(t, path)

	tests := []struct {
		name string
		run  func() error
	}{
		{"create host", func() error {
			_, err := st.CreateHost(ctx, store.NewHost{Name: "new", Status: "working", CustomIdentifier: "ci-new",
				Roles: []store.RoleRef{{Service: "fresh", Role: "ok"}, {Service: "fresh", Role: "boom"}}})
			return err
		}},
		{"update host", func() error {
			name, memo := "renamed", "memo"
			return st.UpdateHost(ctx, keep, store.HostChanges{Name: &name, Memo: &memo, Meta: []byte(`{"x":1}`),
				AddRoles: []store.RoleRef{{Service: "other", Role: "ok"}, {Service: "other", Role: "boom"}}})
		}},
		{"replace roles", func() error {
			// Deletes the host's roles first, then fails on the insert.
			return st.SetHostRoles(ctx, keep, []store.RoleRef{{Service: "web", Role: "boom"}})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil || !strings.Contains(err.Error(), "injected failure") {
				t.Fatalf("err = %v, want the injected failure", err)
			}
			if after := backendtest.MustDumpFile(t, path); after != before {
				t.Fatalf("failed transaction left changes:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}

	// The store keeps working after the failures.
	if _, err := st.CreateHost(ctx, store.NewHost{Name: "after", Status: "working", CustomIdentifier: "ci-new"}); err != nil {
		t.Fatalf("write after failed transactions: %v", err)
	}
}

// Bulk calls are all or nothing: one unknown id changes no host.
func TestBulkCallsAreAllOrNothing(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mkr.db")
	st := mustOpen(t, path)
	ctx := context.Background()
	var ids []string
	for _, name := range []string{"a", "b"} {
		id, err := st.CreateHost(ctx, store.NewHost{Name: name, Status: "working"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	retired, err := st.CreateHost(ctx, store.NewHost{Name: "r", Status: "working"})
	if err != nil {
		t.Fatal(err)
	}
	if err := engine.New(st).RetireHosts(ctx, []string{retired}); err != nil {
		t.Fatal(err)
	}
	before := backendtest.MustDumpFile(t, path)

	err = st.SetHostStatus(ctx, append(ids, "unknown1", "unknown2"), "poweroff")
	if !errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), "unknown1, unknown2") {
		t.Fatalf("SetHostStatus with unknown ids: err = %v, want ErrNotFound naming both", err)
	}
	err = st.SetHostStatus(ctx, append(ids, retired), "poweroff")
	if !errors.Is(err, store.ErrRetired) {
		t.Fatalf("SetHostStatus with a retired id: err = %v, want ErrRetired", err)
	}
	err = engine.New(st).RetireHosts(ctx, append(ids, "unknown1"))
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("RetireHosts with an unknown id: err = %v, want ErrNotFound", err)
	}
	if after := backendtest.MustDumpFile(t, path); after != before {
		t.Fatalf("failed bulk calls changed the database:\n%s\nwant\n%s", after, before)
	}

	// Retiring a mix of live and already retired hosts retires the live ones.
	if err := engine.New(st).RetireHosts(ctx, append(ids, retired)); err != nil {
		t.Fatal(err)
	}
	hosts, err := st.ListHosts(ctx, store.HostFilter{})
	if err != nil || len(hosts) != 0 {
		t.Fatalf("live hosts after retiring all = %d (err %v), want 0", len(hosts), err)
	}
}
