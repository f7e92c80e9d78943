package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/engine"
	"github.com/mkr-dev/mkr/backend/store"
)

func mustReport(t *testing.T, eng *engine.Engine, want int, reports ...store.CheckReport) {
	t.Helper()
	n, err := eng.ApplyCheckReports(context.Background(), reports)
	if err != nil || n != want {
		t.Fatalf("ApplyCheckReports = %d, %v; want %d applied", n, err, want)
	}
}

func openAlerts(t *testing.T, st store.Store) []*store.Alert {
	t.Helper()
	list, _, err := st.ListAlerts(context.Background(), false, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// The check state machine through the engine: an alert opens after
// MaxCheckAttempts consecutive failures, changes status in place, closes
// on OK with the recovery reason; duplicates, late and stale reports,
// retired hosts change nothing; an unknown host rejects the batch.
func testCheckTransitions(t *testing.T, open Opener) {
	st, clock := openAt(t, open)
	ctx := context.Background()
	eng := engine.New(st)
	h := mustHost(t, st, "web01")
	now := clock.Now().Unix()
	rep := func(status string, at int64) store.CheckReport {
		return store.CheckReport{HostID: h, Name: "disk", Status: status, Message: status + " msg\nmore", OccurredAt: at, MaxCheckAttempts: 2}
	}
	mustReport(t, eng, 1, rep("CRITICAL", now-300))
	if a := openAlerts(t, st); len(a) != 0 {
		t.Fatalf("alert opened after 1 of 2 attempts: %+v", a[0])
	}
	mustReport(t, eng, 0, rep("CRITICAL", now-300)) // exact duplicate
	mustReport(t, eng, 1, rep("CRITICAL", now-240))
	alerts := openAlerts(t, st)
	if len(alerts) != 1 || alerts[0].Status != "CRITICAL" || alerts[0].HostID != h || alerts[0].Type != "check" || alerts[0].OpenedAt != now-240 {
		t.Fatalf("open alerts = %+v, want one CRITICAL check alert opened at the second failure", alerts)
	}
	id := alerts[0].ID
	mustReport(t, eng, 0, rep("OK", now-260))      // older than the latest result
	mustReport(t, eng, 0, rep("OK", now-6*3600))   // stale
	mustReport(t, eng, 1, rep("WARNING", now-180)) // status change in place
	mustReport(t, eng, 1, rep("WARNING", now-120)) // same status: no log entry
	if a, err := st.GetAlert(ctx, id); err != nil || a.Status != "WARNING" || a.ClosedAt != 0 {
		t.Fatalf("alert after WARNING = %+v, %v", a, err)
	}
	mustReport(t, eng, 1, rep("OK", now-60))
	a, err := st.GetAlert(ctx, id)
	if err != nil || a.Status != "OK" || a.Reason != "Check recovered: OK msg" || a.ClosedAt != now {
		t.Fatalf("alert after OK = %+v, %v", a, err)
	}
	logs, _, err := st.AlertLogs(ctx, id, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var statuses []string
	for _, l := range logs {
		if l.Trigger != store.TriggerMonitoring || l.DetailType != "check" {
			t.Errorf("log entry %+v, want a monitoring check entry", l)
		}
		statuses = append(statuses, l.Status)
	}
	if got, want := statuses, []string{"OK", "WARNING", "CRITICAL"}; !slices.Equal(got, want) {
		t.Fatalf("log statuses (newest first) = %v, want %v", got, want)
	}
	ms, err := st.MonitoredStatuses(ctx, h)
	if err != nil || len(ms) != 1 || ms[0].Status != "OK" || ms[0].MonitorID != a.MonitorID {
		t.Fatalf("MonitoredStatuses = %+v, %v", ms, err)
	}
	if m, err := st.GetCheckMonitor(ctx, a.MonitorID); err != nil || m.Name != "disk" {
		t.Fatalf("GetCheckMonitor = %+v, %v", m, err)
	}

	// An unknown host rejects the whole batch: the good report is not kept.
	_, err = eng.ApplyCheckReports(ctx, []store.CheckReport{rep("CRITICAL", now), {HostID: "nope", Name: "disk", Status: "CRITICAL", OccurredAt: now, MaxCheckAttempts: 1}})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("batch with an unknown host: err = %v, want ErrNotFound", err)
	}
	mustReport(t, eng, 1, rep("CRITICAL", now)) // not a duplicate: the rejected one left nothing
	clock.Advance(time.Minute)
	if err := eng.RetireHosts(ctx, []string{h}); err != nil {
		t.Fatal(err)
	}
	mustReport(t, eng, 0, rep("CRITICAL", now+30), rep("CRITICAL", now+40)) // retired host
}

// Alerts and their logs page newest first through nextId; closing by hand
// logs a manual entry and is idempotent; memos can be set.
func testAlertPaging(t *testing.T, open Opener) {
	st, clock := openAt(t, open)
	ctx := context.Background()
	eng := engine.New(st)
	h := mustHost(t, st, "web01")
	now := clock.Now().Unix()
	var ids []string
	for i, name := range []string{"a", "b", "c"} {
		mustReport(t, eng, 1, store.CheckReport{HostID: h, Name: name, Status: "CRITICAL", OccurredAt: now - int64(100-i), MaxCheckAttempts: 1})
		ids = append(ids, openAlerts(t, st)[0].ID)
	}
	closed, err := eng.CloseAlert(ctx, ids[0], "done")
	if err != nil || closed.Status != "OK" || closed.Reason != "done" || closed.ClosedAt != now {
		t.Fatalf("CloseAlert = %+v, %v", closed, err)
	}
	if again, err := eng.CloseAlert(ctx, ids[0], "other"); err != nil || again.Reason != "done" {
		t.Fatalf("closing twice = %+v, %v; want it unchanged", again, err)
	}
	if _, err := eng.CloseAlert(ctx, "nope", "x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("CloseAlert of an unknown alert: err = %v, want ErrNotFound", err)
	}
	page, next, err := st.ListAlerts(ctx, true, "", 2)
	if err != nil || len(page) != 2 || page[0].ID != ids[2] || page[1].ID != ids[1] || next != ids[0] {
		t.Fatalf("first page = %d alerts, next %q, %v", len(page), next, err)
	}
	page, next, err = st.ListAlerts(ctx, true, next, 2)
	if err != nil || len(page) != 1 || page[0].ID != ids[0] || next != "" {
		t.Fatalf("second page = %+v, next %q, %v", page, next, err)
	}
	if still := openAlerts(t, st); len(still) != 2 {
		t.Fatalf("open alerts = %d, want 2", len(still))
	}
	if _, _, err := st.ListAlerts(ctx, true, "nope", 2); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown nextId: err = %v, want ErrNotFound", err)
	}
	logs, next, err := st.AlertLogs(ctx, ids[0], "", 1)
	if err != nil || len(logs) != 1 || logs[0].Trigger != store.TriggerManual || logs[0].Status != "OK" || next == "" {
		t.Fatalf("first log page = %+v, next %q, %v", logs, next, err)
	}
	logs, next, err = st.AlertLogs(ctx, ids[0], next, 1)
	if err != nil || len(logs) != 1 || logs[0].Trigger != store.TriggerMonitoring || next != "" {
		t.Fatalf("second log page = %+v, next %q, %v", logs, next, err)
	}
	if err := st.UpdateAlertMemo(ctx, ids[1], "memo"); err != nil {
		t.Fatal(err)
	}
	if a, _ := st.GetAlert(ctx, ids[1]); a.Memo != "memo" {
		t.Fatalf("memo = %q", a.Memo)
	}
	if err := st.UpdateAlertMemo(ctx, "nope", "memo"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("memo of an unknown alert: err = %v, want ErrNotFound", err)
	}
}

// Retiring a host closes its open alerts with the hostRetire trigger and
// leaves other hosts' alerts open.
func testRetireClosesAlerts(t *testing.T, open Opener) {
	st, clock := openAt(t, open)
	ctx := context.Background()
	eng := engine.New(st)
	h, other := mustHost(t, st, "web01"), mustHost(t, st, "web02")
	now := clock.Now().Unix()
	for _, host := range []string{h, other} {
		mustReport(t, eng, 1, store.CheckReport{HostID: host, Name: "c", Status: "CRITICAL", OccurredAt: now, MaxCheckAttempts: 1})
	}
	clock.Advance(time.Minute)
	if err := eng.RetireHosts(ctx, []string{h}); err != nil {
		t.Fatal(err)
	}
	still := openAlerts(t, st)
	if len(still) != 1 || still[0].HostID != other {
		t.Fatalf("open alerts after retiring = %+v, want only the other host's", still)
	}
	all, _, _ := st.ListAlerts(ctx, true, "", 10)
	for _, a := range all {
		if a.HostID != h {
			continue
		}
		if a.Reason != "Host retired" || a.ClosedAt != now+60 {
			t.Fatalf("retired host's alert = %+v", a)
		}
		logs, _, _ := st.AlertLogs(ctx, a.ID, "", 1)
		if len(logs) != 1 || logs[0].Trigger != store.TriggerHostRetire || logs[0].Status != "OK" {
			t.Fatalf("latest log = %+v, want a hostRetire OK entry", logs)
		}
	}
}
