package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// InTx commits when fn returns nil and leaves nothing behind when it
// returns an error after writing.
func testTxRollback(t *testing.T, open Opener) {
	st, clock := openAt(t, open)
	ctx := context.Background()
	h := mustHost(t, st, "web01")
	boom := errors.New("boom")
	write := func(tx store.Tx) (*store.Alert, error) {
		if ok, err := tx.RecordCheckReport(ctx, store.CheckReport{HostID: h, Name: "c", Status: "OK", OccurredAt: clock.Now().Unix()}); err != nil || !ok {
			return nil, errors.Join(err, errors.New("report already recorded"))
		}
		mid, err := tx.EnsureCheckMonitor(ctx, "c")
		if err != nil {
			return nil, err
		}
		a := &store.Alert{Status: "CRITICAL", MonitorID: mid, Type: "check", HostID: h, OpenedAt: clock.Now().Unix()}
		if err := tx.CreateAlert(ctx, a); err != nil {
			return nil, err
		}
		return a, tx.RetireHosts(ctx, []string{h}, clock.Now().Unix())
	}
	err := st.InTx(ctx, func(tx store.Tx) error {
		if _, err := write(tx); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v, want fn's error", err)
	}
	if a := openAlerts(t, st); len(a) != 0 {
		t.Fatalf("rolled-back alert is visible: %+v", a)
	}
	if list, _, _ := st.ListCheckMonitors(ctx, "", 10); len(list) != 0 {
		t.Fatalf("rolled-back check monitor is visible: %+v", list)
	}
	if hh, err := st.GetHost(ctx, h); err != nil || hh.IsRetired {
		t.Fatalf("host after rollback = %+v, %v; want it live", hh, err)
	}
	// The same writes commit, the report included.
	var created *store.Alert
	err = st.InTx(ctx, func(tx store.Tx) error {
		var err error
		created, err = write(tx)
		return err
	})
	if err != nil {
		t.Fatalf("InTx after a rollback: %v", err)
	}
	if a, err := st.GetAlert(ctx, created.ID); err != nil || a.HostID != h {
		t.Fatalf("committed alert = %+v, %v", a, err)
	}
	err = st.InTx(ctx, func(tx store.Tx) error {
		ok, err := tx.RecordCheckReport(ctx, store.CheckReport{HostID: h, Name: "c", Status: "OK", OccurredAt: clock.Now().Unix()})
		if err == nil && ok {
			return errors.New("a committed report was recorded again")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// RecordCheckReport tells a true repeat (same host, name, second, status
// and message) from a different result at the same second, and remembers
// every result of a second, so that a replay of an earlier one is still a
// repeat after a later one arrived.
func testRecordCheckReport(t *testing.T, open Opener) {
	st, clock := openAt(t, open)
	ctx := context.Background()
	h := mustHost(t, st, "web01")
	other := mustHost(t, st, "web02")
	at := clock.Now().Unix()
	critical := store.CheckReport{HostID: h, Name: "c", Status: "CRITICAL", Message: "down", OccurredAt: at}
	with := func(f func(*store.CheckReport)) store.CheckReport {
		r := critical
		f(&r)
		return r
	}
	for _, tt := range []struct {
		name string
		r    store.CheckReport
		want bool
	}{
		{"first", critical, true},
		{"exact repeat", critical, false},
		{"same second, another status", with(func(r *store.CheckReport) { r.Status, r.Message = "OK", "up" }), true},
		{"repeat of the earlier result after a later one", critical, false},
		{"repeat of the later result", with(func(r *store.CheckReport) { r.Status, r.Message = "OK", "up" }), false},
		{"same second and status, another message", with(func(r *store.CheckReport) { r.Message = "down again" }), true},
		{"same status and message, another second", with(func(r *store.CheckReport) { r.OccurredAt++ }), true},
		{"another host", with(func(r *store.CheckReport) { r.HostID = other }), true},
		{"another name", with(func(r *store.CheckReport) { r.Name = "d" }), true},
		{"fields outside the key do not count", with(func(r *store.CheckReport) { r.MaxCheckAttempts, r.NotificationInterval = 3, 10 }), false},
	} {
		var got bool
		err := st.InTx(ctx, func(tx store.Tx) error {
			var err error
			got, err = tx.RecordCheckReport(ctx, tt.r)
			return err
		})
		if err != nil || got != tt.want {
			t.Errorf("%s: RecordCheckReport = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	// Pruning forgets every result of the seconds before the bound.
	err := st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.PruneCheckReports(ctx, h, "c", at+1); err != nil {
			return err
		}
		for _, r := range []store.CheckReport{critical, with(func(r *store.CheckReport) { r.Status, r.Message = "OK", "up" })} {
			if ok, err := tx.RecordCheckReport(ctx, r); err != nil || !ok {
				return errors.Join(err, fmt.Errorf("%s after pruning: recorded %v, want true", r.Status, ok))
			}
		}
		if ok, err := tx.RecordCheckReport(ctx, with(func(r *store.CheckReport) { r.OccurredAt++ })); err != nil || ok {
			return errors.Join(err, errors.New("a report at the bound was pruned"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
