package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

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
