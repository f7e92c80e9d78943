package engine_test

import (
	"context"
	"errors"
	"testing"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/engine"
	"github.com/mkr-dev/mkr/backend/store"
)

// Advance is idempotent and, with nothing time-driven yet, changes nothing.
func TestAdvanceIdempotent(t *testing.T) {
	env := backendtest.New(t)
	env.MustCreateHost(t, store.NewHost{Name: "web01"})
	before := env.MustDump(t)
	eng := engine.New(env.Store)
	for range 2 {
		if err := eng.Advance(t.Context(), env.Clock.Now()); err != nil {
			t.Fatalf("Advance: %v", err)
		}
	}
	if after := env.MustDump(t); after != before {
		t.Fatalf("Advance changed the store:\n%s\nwant\n%s", after, before)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := eng.Advance(ctx, env.Clock.Now()); !errors.Is(err, context.Canceled) {
		t.Fatalf("Advance with a cancelled context: err = %v", err)
	}
}

// A batch that fails part-way (an unknown host after a good report)
// leaves the store exactly as it was.
func TestRejectedBatchChangesNothing(t *testing.T) {
	env := backendtest.New(t)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	before := env.MustDump(t)
	now := env.Clock.Now().Unix()
	_, err := env.Engine.ApplyCheckReports(t.Context(), []store.CheckReport{
		{HostID: h, Name: "c", Status: "CRITICAL", OccurredAt: now, MaxCheckAttempts: 1},
		{HostID: "nope", Name: "c", Status: "CRITICAL", OccurredAt: now, MaxCheckAttempts: 1},
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	if after := env.MustDump(t); after != before {
		t.Fatalf("a rejected batch changed the store:\n%s\nwant\n%s", after, before)
	}
}
