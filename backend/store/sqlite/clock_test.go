package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/engine"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
)

// Every timestamp the store writes comes from Options.Now.
func TestInjectedClock(t *testing.T) {
	t.Parallel()
	clock := backendtest.NewClock(time.Date(2030, 1, 2, 3, 4, 5, 999_000_000, time.UTC))
	st := backendtest.MustOpenStore(t, filepath.Join(t.TempDir(), "mkr.db"), clock)
	ctx := context.Background()
	start := clock.Now().Unix() // whole seconds: the fraction is dropped

	if got := st.Now(); !got.Equal(clock.Now()) {
		t.Fatalf("Now() = %v, want the injected %v", got, clock.Now())
	}
	id, err := st.CreateHost(ctx, store.NewHost{Name: "h", Status: "working"})
	if err != nil {
		t.Fatal(err)
	}
	owner := store.MetadataOwner{HostID: id}
	if err := st.PutMetadata(ctx, owner, "ns", []byte(`1`)); err != nil {
		t.Fatal(err)
	}

	clock.Advance(time.Hour)
	if err := st.PutMetadata(ctx, owner, "later", []byte(`2`)); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	if err := engine.New(st).RetireHosts(ctx, []string{id}); err != nil {
		t.Fatal(err)
	}

	h, err := st.GetHost(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.CreatedAt, start; got != want {
		t.Errorf("CreatedAt = %d, want %d", got, want)
	}
	if got, want := h.RetiredAt, start+7200; got != want {
		t.Errorf("RetiredAt = %d, want %d", got, want)
	}
	for ns, want := range map[string]int64{"ns": start, "later": start + 3600} {
		_, updated, err := st.GetMetadata(ctx, owner, ns)
		if err != nil {
			t.Fatal(err)
		}
		if updated != want {
			t.Errorf("metadata %s updated = %d, want %d", ns, updated, want)
		}
	}

	// The retired host's metadata read window runs on the same clock.
	clock.Advance(time.Duration(store.RetiredMetadataReadWindow) * time.Second)
	if _, _, err := st.GetMetadata(ctx, owner, "ns"); err != nil {
		t.Fatalf("read at the end of the window: %v", err)
	}
	clock.Advance(time.Second)
	if _, _, err := st.GetMetadata(ctx, owner, "ns"); !errors.Is(err, store.ErrRetired) {
		t.Fatalf("read after the window: err = %v, want ErrRetired", err)
	}
}

// Without Options.Now the store uses the wall clock.
func TestDefaultClock(t *testing.T) {
	t.Parallel()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "mkr.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	before := time.Now().Unix()
	id, err := st.CreateHost(context.Background(), store.NewHost{Name: "h", Status: "working"})
	if err != nil {
		t.Fatal(err)
	}
	h, err := st.GetHost(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if after := time.Now().Unix(); h.CreatedAt < before || h.CreatedAt > after {
		t.Fatalf("CreatedAt = %d, want between %d and %d", h.CreatedAt, before, after)
	}
}
