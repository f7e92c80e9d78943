package engine_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
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

// checkHistory lists every alert of the store oldest first, each as
// "<status> <open|closed> <reason>: <log statuses oldest first>".
func checkHistory(t *testing.T, st store.Store) []string {
	t.Helper()
	alerts, _, err := st.ListAlerts(t.Context(), true, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(alerts) - 1; i >= 0; i-- {
		a := alerts[i]
		logs, _, err := st.AlertLogs(t.Context(), a.ID, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		var statuses []string
		for j := len(logs) - 1; j >= 0; j-- {
			statuses = append(statuses, logs[j].Status)
		}
		state := "open"
		if a.ClosedAt != 0 {
			state = "closed"
		}
		out = append(out, fmt.Sprintf("%s %s %q: %s", a.Status, state, a.Reason, strings.Join(statuses, ",")))
	}
	return out
}

// A different result at the same second as the latest one is not "older":
// it is applied in arrival order, so a recovery reported in the same second
// as the failure closes the alert, in one batch or in two. Only a true
// repeat (same status and message too) is ignored — also a replay of the
// earlier result after the later one. A changed message at the same second
// is a new result as well (it updates the open alert and counts as an
// attempt): it is what a check that ran twice in one second reports.
func TestSameSecondResults(t *testing.T) {
	rep := func(h, status, msg string, at int64) store.CheckReport {
		return store.CheckReport{HostID: h, Name: "job", Status: status, Message: msg, OccurredAt: at, MaxCheckAttempts: 1}
	}
	apply := func(t *testing.T, eng *engine.Engine, want int, reports ...store.CheckReport) {
		t.Helper()
		if n, err := eng.ApplyCheckReports(t.Context(), reports); err != nil || n != want {
			t.Fatalf("ApplyCheckReports = %d, %v; want %d applied", n, err, want)
		}
	}
	closed := []string{`OK closed "Check recovered: fixed": CRITICAL,OK`}

	t.Run("two requests", func(t *testing.T) {
		env := backendtest.New(t)
		h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
		now := env.Clock.Now().Unix()
		apply(t, env.Engine, 1, rep(h, "CRITICAL", "failed", now))
		apply(t, env.Engine, 1, rep(h, "OK", "fixed", now))
		if got := checkHistory(t, env.Store); !slices.Equal(got, closed) {
			t.Fatalf("alerts = %q, want %q", got, closed)
		}
		// Spool replays and agent retries of either result change nothing.
		before := env.MustDump(t)
		apply(t, env.Engine, 0, rep(h, "CRITICAL", "failed", now), rep(h, "OK", "fixed", now))
		if after := env.MustDump(t); after != before {
			t.Fatalf("a repeat changed the store:\n%s\nwant\n%s", after, before)
		}
	})
	t.Run("one batch", func(t *testing.T) {
		env := backendtest.New(t)
		h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
		now := env.Clock.Now().Unix()
		apply(t, env.Engine, 2, rep(h, "CRITICAL", "failed", now), rep(h, "OK", "fixed", now), rep(h, "CRITICAL", "failed", now))
		if got := checkHistory(t, env.Store); !slices.Equal(got, closed) {
			t.Fatalf("alerts = %q, want %q", got, closed)
		}
	})
	t.Run("arrival order rules", func(t *testing.T) {
		env := backendtest.New(t)
		h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
		now := env.Clock.Now().Unix()
		apply(t, env.Engine, 2, rep(h, "OK", "fixed", now), rep(h, "CRITICAL", "failed", now))
		want := []string{`CRITICAL open "": CRITICAL`}
		if got := checkHistory(t, env.Store); !slices.Equal(got, want) {
			t.Fatalf("alerts = %q, want %q", got, want)
		}
	})
	t.Run("changed message", func(t *testing.T) {
		env := backendtest.New(t)
		h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
		now := env.Clock.Now().Unix()
		r := rep(h, "CRITICAL", "failed", now)
		r.MaxCheckAttempts = 2
		apply(t, env.Engine, 1, r)
		r.Message = "failed again"
		apply(t, env.Engine, 1, r) // the second attempt opens the alert
		want := []string{`CRITICAL open "": CRITICAL`}
		if got := checkHistory(t, env.Store); !slices.Equal(got, want) {
			t.Fatalf("alerts = %q, want %q", got, want)
		}
		r.Message = "failed once more"
		apply(t, env.Engine, 1, r)
		if a, _, err := env.Store.ListAlerts(t.Context(), false, "", 1); err != nil || len(a) != 1 || a[0].Message != "failed once more" {
			t.Fatalf("open alert = %+v, %v; want the latest message", a, err)
		}
	})
}
