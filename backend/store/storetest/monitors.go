package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// mustMonitor stores a monitor whose body records its id, type and name.
func mustMonitor(t *testing.T, st store.Store, typ, name string) *store.Monitor {
	t.Helper()
	id := store.NewID()
	m := &store.Monitor{ID: id, Type: typ, Name: name,
		Body: fmt.Appendf(nil, `{"id":%q,"name":%q,"type":%q}`, id, name, typ)}
	if err := st.CreateMonitor(context.Background(), m); err != nil {
		t.Fatalf("CreateMonitor %s %s: %v", typ, name, err)
	}
	return m
}

func monitorIDs(list []*store.Monitor) []string {
	ids := make([]string, len(list))
	for i, m := range list {
		ids[i] = m.ID
	}
	return ids
}

// Monitors: bodies are kept verbatim; the list is ordered by type (in the
// API's order: connectivity, host, service, external, expression,
// anomalyDetection, query), then name, then creation; an update keeps a
// monitor's place among equal names; deleting one (inside a transaction)
// takes its evaluation state and cursor with it and nothing else.
func testMonitors(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()

	if list, err := st.ListMonitors(ctx); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("ListMonitors of an empty store = %v, %v; want an empty, non-nil list", list, err)
	}

	// Created out of order.
	q := mustMonitor(t, st, "query", "a")
	hostB := mustMonitor(t, st, "host", "b")
	ext := mustMonitor(t, st, "external", "a")
	hostA2 := mustMonitor(t, st, "host", "a") // same name as hostA1, created first
	anomaly := mustMonitor(t, st, "anomalyDetection", "a")
	expr := mustMonitor(t, st, "expression", "a")
	svc := mustMonitor(t, st, "service", "z")
	conn := mustMonitor(t, st, "connectivity", "zz")
	hostA1 := mustMonitor(t, st, "host", "a")
	hostUpper := mustMonitor(t, st, "host", "B") // byte order: "B" before "a"

	want := []string{conn.ID, hostUpper.ID, hostA2.ID, hostA1.ID, hostB.ID, svc.ID, ext.ID, expr.ID, anomaly.ID, q.ID}
	list, err := st.ListMonitors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := monitorIDs(list); !slices.Equal(got, want) {
		t.Fatalf("ListMonitors order = %v, want %v", got, want)
	}
	for _, m := range list {
		if m.ID == hostB.ID && (m.Type != "host" || m.Name != "b" || string(m.Body) != string(hostB.Body)) {
			t.Fatalf("listed %+v, want %+v", m, hostB)
		}
	}

	// The body is kept byte for byte, whatever its spacing.
	odd := &store.Monitor{ID: store.NewID(), Type: "expression", Name: "odd",
		Body: []byte("{ \"name\" : \"odd\",\n\"operator\":\">\" }")}
	if err := st.CreateMonitor(ctx, odd); err != nil {
		t.Fatal(err)
	}
	got, err := st.GetMonitor(ctx, odd.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != odd.ID || got.Type != odd.Type || got.Name != odd.Name || string(got.Body) != string(odd.Body) {
		t.Fatalf("GetMonitor = %+v %s, want %+v %s", got, got.Body, odd, odd.Body)
	}
	if _, err := st.GetMonitor(ctx, "nosuch"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetMonitor of an unknown id: err = %v, want ErrNotFound", err)
	}
	dup := &store.Monitor{ID: odd.ID, Type: "host", Name: "dup", Body: []byte(`{}`)}
	if err := st.CreateMonitor(ctx, dup); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("CreateMonitor with a taken id: err = %v, want ErrConflict", err)
	}
	if got, _ := st.GetMonitor(ctx, odd.ID); string(got.Body) != string(odd.Body) {
		t.Fatalf("a refused create changed the monitor: %s", got.Body)
	}

	// Updating hostA2 keeps it before hostA1, created after it; hostB,
	// renamed "a", goes first among the "a"s: it was created before both.
	hostA2.Body = []byte(`{"changed":true}`)
	if err := st.UpdateMonitor(ctx, hostA2); err != nil {
		t.Fatal(err)
	}
	hostB.Name, hostB.Body = "a", []byte(`{"renamed":true}`)
	if err := st.UpdateMonitor(ctx, hostB); err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateMonitor(ctx, &store.Monitor{ID: "nosuch", Type: "host", Name: "x", Body: []byte(`{}`)}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("UpdateMonitor of an unknown id: err = %v, want ErrNotFound", err)
	}
	got, err = st.GetMonitor(ctx, hostB.ID)
	if err != nil || got.Name != "a" || string(got.Body) != `{"renamed":true}` {
		t.Fatalf("GetMonitor after update = %+v, %v", got, err)
	}
	list, err = st.ListMonitors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want = []string{conn.ID, hostUpper.ID, hostB.ID, hostA2.ID, hostA1.ID, svc.ID, ext.ID, expr.ID, odd.ID, anomaly.ID, q.ID}
	if got := monitorIDs(list); !slices.Equal(got, want) {
		t.Fatalf("ListMonitors after updates = %v, want %v", got, want)
	}

	testDeleteMonitor(t, st, hostA1.ID, hostA2.ID)
}

// testDeleteMonitor deletes victim inside a transaction, after giving it
// and bystander evaluation state.
func testDeleteMonitor(t *testing.T, st store.Store, victim, bystander string) {
	t.Helper()
	ctx := context.Background()
	seed := func(tx store.Tx, id string) error {
		for _, target := range []string{"", "h1"} {
			s := store.MonitorState{MonitorID: id, Target: target, Status: "CRITICAL", Violations: 2, EvaluatedAt: Epoch.Unix()}
			if err := tx.PutMonitorState(ctx, s); err != nil {
				return err
			}
		}
		return tx.SetEvaluationCursor(ctx, id, Epoch.Unix())
	}
	err := st.InTx(ctx, func(tx store.Tx) error {
		if err := seed(tx, victim); err != nil {
			return err
		}
		return seed(tx, bystander)
	})
	if err != nil {
		t.Fatal(err)
	}
	before, err := st.GetMonitor(ctx, victim)
	if err != nil {
		t.Fatal(err)
	}

	// A rolled-back delete leaves everything.
	errRollback := errors.New("roll back")
	err = st.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.DeleteMonitor(ctx, victim); err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("InTx = %v, want the rollback error", err)
	}
	if _, err := st.GetMonitor(ctx, victim); err != nil {
		t.Fatalf("a rolled-back delete removed the monitor: %v", err)
	}

	var deleted *store.Monitor
	err = st.InTx(ctx, func(tx store.Tx) error {
		var err error
		deleted, err = tx.DeleteMonitor(ctx, victim)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if deleted.ID != before.ID || deleted.Type != before.Type || deleted.Name != before.Name || string(deleted.Body) != string(before.Body) {
		t.Fatalf("DeleteMonitor returned %+v, want %+v", deleted, before)
	}
	if _, err := st.GetMonitor(ctx, victim); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetMonitor after delete: err = %v, want ErrNotFound", err)
	}
	list, err := st.ListMonitors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(monitorIDs(list), victim) {
		t.Fatalf("a deleted monitor is still listed")
	}
	for _, c := range []struct {
		id     string
		states int
		cursor int64
	}{{victim, 0, 0}, {bystander, 2, Epoch.Unix()}} {
		states, err := st.MonitorStates(ctx, c.id)
		if err != nil {
			t.Fatal(err)
		}
		var cursor int64
		err = st.InTx(ctx, func(tx store.Tx) error {
			var err error
			cursor, err = tx.EvaluationCursor(ctx, c.id)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(states) != c.states || cursor != c.cursor {
			t.Errorf("monitor %s after deleting %s: %d states, cursor %d; want %d, %d", c.id, victim, len(states), cursor, c.states, c.cursor)
		}
	}
	err = st.InTx(ctx, func(tx store.Tx) error {
		_, err := tx.DeleteMonitor(ctx, victim)
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleting a deleted monitor: err = %v, want ErrNotFound", err)
	}
}
