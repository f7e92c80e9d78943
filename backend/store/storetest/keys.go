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
	if len(key) < 40 || key[:4] != "mkr_" || rec.Name != "ci" || !rec.ReadOnly || rec.CreatedAt == 0 {
		t.Fatalf("CreateAPIKey = %+v, %q", rec, key)
	}
	if rec.CreatedAt != Epoch.Unix() {
		t.Fatalf("CreatedAt = %d, want the store clock's %d", rec.CreatedAt, Epoch.Unix())
	}
	got, err := st.LookupAPIKey(ctx, key)
	if err != nil || got.ID != rec.ID || !got.ReadOnly {
		t.Fatalf("LookupAPIKey = %+v, %v", got, err)
	}
	if _, err := st.LookupAPIKey(ctx, key+"x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("lookup of a wrong key: err = %v, want ErrNotFound", err)
	}
	// auth.Authorizer tells an unknown key from a broken store this way.
	if _, err := st.LookupAPIKey(ctx, key+"x"); !errors.Is(err, auth.ErrUnknownKey) {
		t.Fatalf("lookup of a wrong key: err = %v, want auth.ErrUnknownKey", err)
	}
	if n, err := st.CountAPIKeys(ctx); err != nil || n != (auth.KeyCounts{Active: 1, Ever: 1}) {
		t.Fatalf("CountAPIKeys = %+v, %v; want 1 active of 1", n, err)
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
	if n, err := st.CountAPIKeys(ctx); err != nil || n != (auth.KeyCounts{Active: 0, Ever: 1}) {
		t.Fatalf("CountAPIKeys after revoking = %+v, %v; want 0 active of 1: a revoked key still counts as ever made", n, err)
	}

	// Keys are listed oldest first.
	if _, _, err := st.CreateAPIKey(ctx, "second", false); err != nil {
		t.Fatal(err)
	}
	keys, err = st.ListAPIKeys(ctx)
	if err != nil || len(keys) != 2 || keys[0].ID != rec.ID || keys[1].Name != "second" || keys[1].RevokedAt != 0 {
		t.Fatalf("ListAPIKeys = %+v, %v", keys, err)
	}
}
