package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
)

// testEvaluation covers what the engine's evaluation reads and writes:
// recent points (exact names and globs, newest n, oldest first), host
// contacts, monitor states, cursors, the outbox, and deleting a service
// inside a transaction.
func testEvaluation(t *testing.T, open Opener) {
	st, clock := openAt(t, open)
	ctx := context.Background()
	h1, h2 := mustHost(t, st, "web01"), mustHost(t, st, "web02")
	now := clock.Now().Unix()

	if got, err := st.LastMetricPosts(ctx, nil); err != nil || len(got) != 0 {
		t.Fatalf("LastMetricPosts before any post = %v, %v", got, err)
	}
	var pts []store.SeriesPoint
	for i := range int64(5) {
		pts = append(pts, sp(store.HostSeries(h1, "loadavg5"), now-300+60*i, float64(i)))
		pts = append(pts, sp(store.HostSeries(h1, "filesystem.sda.used"), now-300+60*i, 10))
	}
	pts = append(pts, sp(store.HostSeries(h2, "loadavg5"), now-3600, 7)) // old
	if _, err := st.InsertPointsSince(ctx, pts, 0); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	if _, err := st.InsertPointsSince(ctx, []store.SeriesPoint{sp(store.HostSeries(h2, "memory.used"), now, 1)}, 0); err != nil {
		t.Fatal(err)
	}
	posts, err := st.LastMetricPosts(ctx, nil)
	if err != nil || !reflect.DeepEqual(posts, map[string]int64{h1: now, h2: now + 60}) {
		t.Fatalf("LastMetricPosts = %v, %v", posts, err)
	}
	// Named hosts: only those, however many are named (more than one
	// statement's worth here, with h2 last), unknown ids ignored.
	named := []string{h1}
	for i := range 600 {
		named = append(named, fmt.Sprintf("nohost%03d", i))
	}
	named = append(named, h2)
	for _, c := range []struct {
		hosts []string
		want  map[string]int64
	}{
		{[]string{h2}, map[string]int64{h2: now + 60}},
		{[]string{}, map[string]int64{}},
		{named, map[string]int64{h1: now, h2: now + 60}},
	} {
		if got, err := st.LastMetricPosts(ctx, c.hosts); err != nil || !reflect.DeepEqual(got, c.want) {
			t.Fatalf("LastMetricPosts(%d hosts) = %v, %v; want %v", len(c.hosts), got, err, c.want)
		}
	}

	got, err := st.RecentPoints(ctx, "host", nil, []string{"loadavg5"}, now-1800, 3)
	want := map[string]map[string][]store.Point{h1: {"loadavg5": {{Time: now - 180, Value: 2}, {Time: now - 120, Value: 3}, {Time: now - 60, Value: 4}}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("RecentPoints(loadavg5) = %v, %v; want %v (h2's point is older than since)", got, err, want)
	}
	got, err = st.RecentPoints(ctx, "host", []string{h1}, []string{"filesystem.*"}, 0, 1)
	want = map[string]map[string][]store.Point{h1: {"filesystem.sda.used": {{Time: now - 60, Value: 10}}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("RecentPoints(glob) = %v, %v; want %v", got, err, want)
	}
	if got, err := st.RecentPoints(ctx, "host", []string{}, []string{"loadavg5"}, 0, 3); err != nil || len(got) != 0 {
		t.Fatalf("RecentPoints with no owners = %v, %v", got, err)
	}

	v := 2.5
	state := store.MonitorState{MonitorID: "m1", Target: h1, Status: "WARNING", Violations: 2, EvaluatedAt: now, Value: &v, Message: "m"}
	err = st.InTx(ctx, func(tx store.Tx) error {
		if s, err := tx.MonitorState(ctx, "m1", h1); err != nil || s != nil {
			t.Errorf("MonitorState before Put = %v, %v", s, err)
		}
		if err := tx.PutMonitorState(ctx, state); err != nil {
			return err
		}
		state.Violations = 3
		if err := tx.PutMonitorState(ctx, state); err != nil {
			return err
		}
		if err := tx.PutMonitorState(ctx, store.MonitorState{MonitorID: "m1", Target: "", Status: "OK"}); err != nil {
			return err
		}
		if err := tx.DeleteMonitorState(ctx, "m1", ""); err != nil {
			return err
		}
		if c, err := tx.EvaluationCursor(ctx, "m1"); err != nil || c != 0 {
			t.Errorf("EvaluationCursor before Set = %d, %v", c, err)
		}
		if err := tx.SetEvaluationCursor(ctx, "m1", now); err != nil {
			return err
		}
		if c, err := tx.EvaluationCursor(ctx, "m1"); err != nil || c != now {
			t.Errorf("EvaluationCursor = %d, %v", c, err)
		}
		for _, status := range []string{"CRITICAL", "OK"} {
			e := &store.AlertEvent{AlertID: "a1", MonitorID: "m1", HostID: h1, Status: status, Trigger: "monitoring", CreatedAt: now, Notify: status == "CRITICAL"}
			if err := tx.AddAlertEvent(ctx, e); err != nil {
				return err
			}
			if e.ID == "" || e.Seq == 0 {
				t.Errorf("AddAlertEvent left ID %q Seq %d", e.ID, e.Seq)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	states, err := st.MonitorStates(ctx, "m1")
	if err != nil || len(states) != 1 || !reflect.DeepEqual(*states[0], state) {
		t.Fatalf("MonitorStates = %v, %v; want [%+v]", states, err, state)
	}
	evs, err := st.AlertEvents(ctx, 0, 10)
	if err != nil || len(evs) != 2 || evs[0].Status != "CRITICAL" || !evs[0].Notify || evs[1].Status != "OK" || evs[1].Notify || evs[1].Seq <= evs[0].Seq {
		t.Fatalf("AlertEvents = %+v, %v", evs, err)
	}
	if rest, err := st.AlertEvents(ctx, evs[0].Seq, 10); err != nil || len(rest) != 1 || rest[0].ID != evs[1].ID {
		t.Fatalf("AlertEvents after the first = %+v, %v", rest, err)
	}

	// A rolled-back transaction leaves no state, cursor or event behind.
	boom := errors.New("boom")
	err = st.InTx(ctx, func(tx store.Tx) error {
		_ = tx.PutMonitorState(ctx, store.MonitorState{MonitorID: "m2", Target: h2, Status: "CRITICAL"})
		_ = tx.SetEvaluationCursor(ctx, "m2", now)
		_ = tx.AddAlertEvent(ctx, &store.AlertEvent{AlertID: "a2", MonitorID: "m2", Status: "CRITICAL", Trigger: "monitoring"})
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v", err)
	}
	if s, _ := st.MonitorStates(ctx, "m2"); len(s) != 0 {
		t.Fatalf("a rolled-back state survived: %v", s)
	}
	if evs, _ := st.AlertEvents(ctx, 0, 10); len(evs) != 2 {
		t.Fatalf("a rolled-back event survived: %d events", len(evs))
	}

	// Deleting a service in a transaction finds its bound monitors first
	// and takes its series; a later insert to the same series works.
	if _, err := st.CreateService(ctx, "shop", ""); err != nil {
		t.Fatal(err)
	}
	svcKey := store.ServiceSeries("shop", "errors")
	if _, err := st.InsertPointsSince(ctx, []store.SeriesPoint{sp(svcKey, now, 1)}, 0); err != nil {
		t.Fatal(err)
	}
	bound := &store.Monitor{ID: store.NewID(), Type: "service", Name: "errors"}
	bound.Body = []byte(`{"id":"` + bound.ID + `","name":"errors","service":"shop","type":"service"}`)
	if err := st.CreateMonitor(ctx, bound); err != nil {
		t.Fatal(err)
	}
	err = st.InTx(ctx, func(tx store.Tx) error {
		ids, err := tx.ServiceMonitorIDs(ctx, "shop")
		if err != nil || !reflect.DeepEqual(ids, []string{bound.ID}) {
			t.Errorf("ServiceMonitorIDs = %v, %v", ids, err)
		}
		_, err = tx.DeleteService(ctx, "shop")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.GetService(ctx, "shop"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetService after delete: %v", err)
	}
	if _, err := st.CreateService(ctx, "shop", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := st.InsertPointsSince(ctx, []store.SeriesPoint{sp(svcKey, now, 2)}, 0); err != nil {
		t.Fatalf("posting to a re-created service: %v", err)
	}
	if p, err := st.Points(ctx, svcKey, 0, now); err != nil || len(p) != 1 || p[0].Value != 2 {
		t.Fatalf("points of the re-created service = %v, %v", p, err)
	}
}
