package storetest

import (
	"context"
	"errors"
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
		if ok, err := tx.RecordCheckReport(ctx, h, "c", clock.Now().Unix()); err != nil || !ok {
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
		ok, err := tx.RecordCheckReport(ctx, h, "c", clock.Now().Unix())
		if err == nil && ok {
			return errors.New("a committed report was recorded again")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
