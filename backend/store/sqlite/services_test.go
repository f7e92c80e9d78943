package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

// Deleting a role drops hosts' membership in it and its metadata, and
// nothing of its sibling roles.
func TestDeleteRoleCascades(t *testing.T) {
	t.Parallel()
	st := mustOpen(t, filepath.Join(t.TempDir(), "mkr.db"))
	ctx := context.Background()
	id, err := st.CreateHost(ctx, store.NewHost{Name: "h", Status: "working",
		Roles: []store.RoleRef{{Service: "web", Role: "app"}, {Service: "web", Role: "db"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"app", "db"} {
		if err := st.PutMetadata(ctx, store.MetadataOwner{Service: "web", Role: role}, "ns", []byte(`1`)); err != nil {
			t.Fatal(err)
		}
	}

	role, err := st.DeleteRole(ctx, "web", "app")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := *role, (store.Role{Service: "web", Name: "app"}); got != want {
		t.Fatalf("DeleteRole = %+v, want %+v", got, want)
	}
	h, err := st.GetHost(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.Roles, map[string][]string{"web": {"db"}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("host roles = %v, want %v", got, want)
	}
	if _, err := st.CreateRole(ctx, "web", "app", ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.GetMetadata(ctx, store.MetadataOwner{Service: "web", Role: "app"}, "ns"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("metadata of a recreated role: err = %v, want ErrNotFound", err)
	}
	if _, _, err := st.GetMetadata(ctx, store.MetadataOwner{Service: "web", Role: "db"}, "ns"); err != nil {
		t.Fatalf("metadata of the sibling role: %v", err)
	}
	if _, err := st.DeleteRole(ctx, "web", "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("DeleteRole of an unknown role: err = %v, want ErrNotFound", err)
	}
}

func TestCustomIdentifierUniqueness(t *testing.T) {
	t.Parallel()
	st := mustOpen(t, filepath.Join(t.TempDir(), "mkr.db"))
	ctx := context.Background()
	a, err := st.CreateHost(ctx, store.NewHost{Name: "a", Status: "working", CustomIdentifier: "ci"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.CreateHost(ctx, store.NewHost{Name: "b", Status: "working"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateHost(ctx, store.NewHost{Name: "c", Status: "working", CustomIdentifier: "ci"}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second host with the same customIdentifier: err = %v, want ErrConflict", err)
	}
	ci := "ci"
	if err := st.UpdateHost(ctx, b, store.HostChanges{CustomIdentifier: &ci}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("update to a taken customIdentifier: err = %v, want ErrConflict", err)
	}
	// Re-sending its own identifier is not a conflict.
	if err := st.UpdateHost(ctx, a, store.HostChanges{CustomIdentifier: &ci}); err != nil {
		t.Fatalf("update with its own customIdentifier: %v", err)
	}
	// "" clears it, which frees it for another host.
	empty := ""
	if err := st.UpdateHost(ctx, a, store.HostChanges{CustomIdentifier: &empty}); err != nil {
		t.Fatal(err)
	}
	if h, err := st.GetHost(ctx, a); err != nil || h.CustomIdentifier != "" {
		t.Fatalf("customIdentifier after clearing = %q (err %v)", h.CustomIdentifier, err)
	}
	if err := st.UpdateHost(ctx, b, store.HostChanges{CustomIdentifier: &ci}); err != nil {
		t.Fatalf("taking a freed customIdentifier: %v", err)
	}
	if h, err := st.FindHostByCustomIdentifier(ctx, "ci", false); err != nil || h.ID != b {
		t.Fatalf("FindHostByCustomIdentifier = %v, %v; want host b", h, err)
	}
}

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mkr.db")
	st := mustOpen(t, path)
	ctx := context.Background()

	rec, key, err := st.CreateAPIKey(ctx, "ci", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) < 40 || key[:4] != "mkr_" || rec.Name != "ci" || !rec.ReadOnly || rec.CreatedAt == 0 {
		t.Fatalf("CreateAPIKey = %+v, %q", rec, key)
	}
	got, err := st.LookupAPIKey(ctx, key)
	if err != nil || got.ID != rec.ID || !got.ReadOnly {
		t.Fatalf("LookupAPIKey = %+v, %v", got, err)
	}
	if _, err := st.LookupAPIKey(ctx, key+"x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("lookup of a wrong key: err = %v, want ErrNotFound", err)
	}
	// Only a hash is stored.
	if strings.Contains(backendtest.MustDumpFile(t, path), key[4:]) {
		t.Fatal("the database contains the API key in clear")
	}
	if n, err := st.CountActiveAPIKeys(ctx); err != nil || n != 1 {
		t.Fatalf("CountActiveAPIKeys = %d, %v; want 1", n, err)
	}

	if err := st.RevokeAPIKey(ctx, rec.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.LookupAPIKey(ctx, key); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("lookup of a revoked key: err = %v, want ErrNotFound", err)
	}
	if err := st.RevokeAPIKey(ctx, rec.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoking twice: err = %v, want ErrNotFound", err)
	}
	keys, err := st.ListAPIKeys(ctx)
	if err != nil || len(keys) != 1 || keys[0].RevokedAt == 0 {
		t.Fatalf("ListAPIKeys = %+v, %v; want the revoked key listed", keys, err)
	}
	if n, err := st.CountActiveAPIKeys(ctx); err != nil || n != 0 {
		t.Fatalf("CountActiveAPIKeys after revoking = %d, %v; want 0", n, err)
	}
}
