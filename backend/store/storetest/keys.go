package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/mkr-dev/mkr/backend/auth"
	"github.com/mkr-dev/mkr/backend/store"
)

// API keys: create, look up, revoke (once), list and count.
func testAPIKeys(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()
	rec, key, err := st.CreateAPIKey(ctx, "ci", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) < 40 || key[:4] != "mkr_" || rec.Name != "ci" || !rec.ReadOnly || rec.CreatedAt != Epoch.Unix() {
		t.Fatalf("CreateAPIKey = %+v, %q", rec, key)
	}
	if got, err := st.LookupAPIKey(ctx, key); err != nil || got.ID != rec.ID || !got.ReadOnly {
		t.Fatalf("LookupAPIKey = %+v, %v", got, err)
	}
	if _, err := st.LookupAPIKey(ctx, key+"x"); !errors.Is(err, store.ErrNotFound) || !errors.Is(err, auth.ErrUnknownKey) {
		t.Fatalf("lookup of a wrong key: err = %v, want ErrNotFound and auth.ErrUnknownKey", err)
	}
	if err := st.RevokeAPIKey(ctx, rec.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.LookupAPIKey(ctx, key); !errors.Is(err, auth.ErrUnknownKey) {
		t.Fatalf("lookup of a revoked key: err = %v, want auth.ErrUnknownKey", err)
	}
	if err := st.RevokeAPIKey(ctx, rec.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoking twice: err = %v, want ErrNotFound", err)
	}
	if _, _, err := st.CreateAPIKey(ctx, "second", false); err != nil {
		t.Fatal(err)
	}
	keys, err := st.ListAPIKeys(ctx)
	if err != nil || len(keys) != 2 || keys[0].ID != rec.ID || keys[0].RevokedAt == 0 || keys[1].RevokedAt != 0 {
		t.Fatalf("ListAPIKeys = %+v, %v", keys, err)
	}
	if n, err := st.CountActiveAPIKeys(ctx); err != nil || n != 1 {
		t.Fatalf("CountActiveAPIKeys = %d, %v; want 1", n, err)
	}
}
