package backend_test

// mackerel-client-go v0.46.0 against the backend over a loopback server:
// check reports in, alerts, alert logs, check monitors and monitored
// statuses out, as the official client sends and decodes them.

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

// twMackerel serves env on 127.0.0.1 and returns the official client for
// it. Every answer must be JSON, as the client always decodes bodies.
func twMackerel(t *testing.T, env *backendtest.Env) *mackerel.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, r)
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s %s: Content-Type %q", r.Method, r.URL, ct)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(srv.Close)
	mc, err := mackerel.NewClientWithOptions("test-api-key", srv.URL, false)
	if err != nil {
		t.Fatal(err)
	}
	return mc
}

// twWantAPIError fails unless err is the official client's API error with
// that status and message.
func twWantAPIError(t *testing.T, what string, err error, status int, message string) {
	t.Helper()
	var apiErr *mackerel.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != status || apiErr.Message != message {
		t.Errorf("%s: got %v, want API error %d %q", what, err, status, message)
	}
}

// twReport is one report from host at t in the official client's type.
func twReport(host, name string, status mackerel.CheckStatus, message string, at time.Time) *mackerel.CheckReport {
	return &mackerel.CheckReport{Source: mackerel.NewCheckSourceHost(host), Name: name, Status: status,
		Message: message, OccurredAt: at.Unix()}
}

func TestWCompatCheckReportsAndAlerts(t *testing.T) {
	env := backendtest.New(t)
	mc := twMackerel(t, env)
	host := env.MustCreateHost(t, store.NewHost{Name: "web01",
		Checks: []byte(`[{"name":"disk","memo":"see the runbook"},{"name":"load"}]`)})
	t0 := env.Clock.Now()

	err := mc.PostCheckReports(&mackerel.CheckReports{Reports: []*mackerel.CheckReport{
		twReport(host, "disk", mackerel.CheckStatusCritical, "disk full", t0),
		twReport(host, "load", mackerel.CheckStatusWarning, "load 12", t0.Add(time.Second)),
		twReport(host, "uptime", mackerel.CheckStatusOK, "up 3 days", t0),
	}})
	if err != nil {
		t.Fatalf("PostCheckReports: %v", err)
	}

	// Alerts: newest first, every field the client knows.
	resp, err := mc.FindAlerts()
	if err != nil {
		t.Fatalf("FindAlerts: %v", err)
	}
	if len(resp.Alerts) != 2 || resp.NextID != "" {
		t.Fatalf("FindAlerts: %d alerts, nextId %q; want 2 and none", len(resp.Alerts), resp.NextID)
	}
	load, disk := resp.Alerts[0], resp.Alerts[1]
	monitors := map[string]string{} // name → id
	checks, err := mc.FindCheckMonitors(nil)
	if err != nil {
		t.Fatalf("FindCheckMonitors: %v", err)
	}
	for _, c := range checks.Checks {
		monitors[c.Name] = c.ID
	}
	for _, tt := range []struct {
		got  *mackerel.Alert
		want mackerel.Alert
	}{
		{load, mackerel.Alert{ID: load.ID, Status: "WARNING", MonitorID: monitors["load"], Type: "check", HostID: host, Message: "load 12", OpenedAt: t0.Unix() + 1}},
		{disk, mackerel.Alert{ID: disk.ID, Status: "CRITICAL", MonitorID: monitors["disk"], Type: "check", HostID: host, Message: "disk full", OpenedAt: t0.Unix()}},
	} {
		if *tt.got != tt.want {
			t.Errorf("alert\n got %+v\nwant %+v", *tt.got, tt.want)
		}
	}
	got, err := mc.GetAlert(disk.ID)
	if err != nil || *got != *disk {
		t.Errorf("GetAlert = %+v, %v; want %+v", got, err, *disk)
	}
	_, err = mc.GetAlert("nosuchalert")
	twWantAPIError(t, "GetAlert(unknown)", err, http.StatusNotFound, "Alert not found.")

	// Check monitors: one per name, by id and in a list.
	names := make([]string, 0, len(monitors))
	for name := range monitors {
		names = append(names, name)
	}
	sort.Strings(names)
	if fmt.Sprint(names) != "[disk load uptime]" {
		t.Errorf("check monitors %v, want [disk load uptime]", names)
	}
	cm, err := mc.FindCheckMonitor(monitors["disk"])
	if err != nil || cm.Check.ID != monitors["disk"] || cm.Check.Name != "disk" {
		t.Errorf("FindCheckMonitor = %+v, %v", cm, err)
	}
	_, err = mc.FindCheckMonitor("nosuchmonitor")
	twWantAPIError(t, "FindCheckMonitor(unknown)", err, http.StatusNotFound, "Check monitor not found.")

	// Monitored statuses carry the memo of the host's checks list.
	statuses, err := mc.ListMonitoredStatues(host)
	if err != nil {
		t.Fatalf("ListMonitoredStatues: %v", err)
	}
	var lines []string
	for _, s := range statuses {
		lines = append(lines, fmt.Sprintf("%s %s %s %q %q", s.MonitorID, s.Status, s.Detail.Type, s.Detail.Message, s.Detail.Memo))
	}
	want := []string{
		fmt.Sprintf("%s CRITICAL check %q %q", monitors["disk"], "disk full", "see the runbook"),
		fmt.Sprintf("%s WARNING check %q %q", monitors["load"], "load 12", ""),
		fmt.Sprintf("%s OK check %q %q", monitors["uptime"], "up 3 days", ""),
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("ListMonitoredStatues:\n got %q\nwant %q", lines, want)
	}
	_, err = mc.ListMonitoredStatues("nosuchhost")
	twWantAPIError(t, "ListMonitoredStatues(unknown)", err, http.StatusNotFound, "Host Not Found.")

	// Memo, close, logs.
	env.Clock.Advance(time.Minute)
	upd, err := mc.UpdateAlert(disk.ID, mackerel.UpdateAlertParam{Memo: "on it"})
	if err != nil || upd.Memo != "on it" {
		t.Errorf("UpdateAlert = %+v, %v", upd, err)
	}
	closed, err := mc.CloseAlert(disk.ID, "replaced the disk")
	if err != nil {
		t.Fatalf("CloseAlert: %v", err)
	}
	wantClosed := *disk
	wantClosed.Status, wantClosed.Reason, wantClosed.ClosedAt, wantClosed.Memo = "OK", "replaced the disk", t0.Unix()+60, "on it"
	if *closed != wantClosed {
		t.Errorf("CloseAlert\n got %+v\nwant %+v", *closed, wantClosed)
	}
	_, err = mc.CloseAlert("nosuchalert", "x")
	twWantAPIError(t, "CloseAlert(unknown)", err, http.StatusNotFound, "Alert not found.")
	_, err = mc.UpdateAlert("nosuchalert", mackerel.UpdateAlertParam{Memo: "x"})
	twWantAPIError(t, "UpdateAlert(unknown)", err, http.StatusNotFound, "Alert not found.")

	open, err := mc.FindAlerts()
	if err != nil || len(open.Alerts) != 1 || open.Alerts[0].ID != load.ID {
		t.Errorf("FindAlerts after close = %+v, %v; want only the load alert", open, err)
	}
	all, err := mc.FindWithClosedAlerts()
	if err != nil || len(all.Alerts) != 2 || *all.Alerts[1] != wantClosed {
		t.Errorf("FindWithClosedAlerts = %+v, %v", all, err)
	}

	logs, err := mc.FindAlertLogs(disk.ID, nil)
	if err != nil {
		t.Fatalf("FindAlertLogs: %v", err)
	}
	var got2 []string
	for _, l := range logs.AlertLogs {
		s := fmt.Sprintf("%d %s %s %v %v", l.CreatedAt, l.Status, l.Trigger, l.MonitorID != nil && *l.MonitorID == monitors["disk"], l.TargetValue)
		if l.StatusDetail != nil {
			s += fmt.Sprintf(" %s %q %q", l.StatusDetail.Type, l.StatusDetail.Detail.Message, l.StatusDetail.Detail.Memo)
		}
		got2 = append(got2, s)
	}
	want2 := []string{
		fmt.Sprintf("%d OK manual true <nil>", t0.Unix()+60),
		fmt.Sprintf("%d CRITICAL monitoring true <nil> check %q %q", t0.Unix(), "disk full", "see the runbook"),
	}
	if strings.Join(got2, "\n") != strings.Join(want2, "\n") || logs.NextID != "" {
		t.Errorf("FindAlertLogs:\n got %q (next %q)\nwant %q", got2, logs.NextID, want2)
	}
	one := 1
	page, err := mc.FindAlertLogs(disk.ID, &mackerel.FindAlertLogsParam{Limit: &one})
	if err != nil || len(page.AlertLogs) != 1 || page.NextID == "" {
		t.Fatalf("FindAlertLogs(limit 1) = %+v, %v", page, err)
	}
	page, err = mc.FindAlertLogs(disk.ID, &mackerel.FindAlertLogsParam{Limit: &one, NextId: &page.NextID})
	if err != nil || len(page.AlertLogs) != 1 || page.AlertLogs[0].Trigger != "monitoring" || page.NextID != "" {
		t.Errorf("FindAlertLogs(second page) = %+v, %v", page, err)
	}
	_, err = mc.FindAlertLogs("nosuchalert", nil)
	twWantAPIError(t, "FindAlertLogs(unknown)", err, http.StatusNotFound, "Alert not found.")
}

// TestWCompatAlertPaging: 150 alerts come back as 100 + 50 through nextId,
// open only or with closed ones, and check monitors page the same way.
func TestWCompatAlertPaging(t *testing.T) {
	env := backendtest.New(t)
	mc := twMackerel(t, env)
	host := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	now := env.Clock.Now()
	for batch := range 2 {
		reports := make([]*mackerel.CheckReport, 75)
		for i := range reports {
			n := batch*75 + i
			reports[i] = twReport(host, fmt.Sprintf("check-%03d", n), mackerel.CheckStatusCritical, fmt.Sprint("failure ", n), now)
		}
		if err := mc.PostCheckReports(&mackerel.CheckReports{Reports: reports}); err != nil {
			t.Fatalf("PostCheckReports: %v", err)
		}
	}
	// The oldest recovers: 149 open, 150 in all.
	env.Clock.Advance(time.Minute)
	err := mc.PostCheckReports(&mackerel.CheckReports{Reports: []*mackerel.CheckReport{
		twReport(host, "check-000", mackerel.CheckStatusOK, "fine", env.Clock.Now())}})
	if err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name        string
		first       func() (*mackerel.AlertsResp, error)
		next        func(string) (*mackerel.AlertsResp, error)
		total, last string
	}{
		{"open", mc.FindAlerts, mc.FindAlertsByNextID, "149", "failure 1"},
		{"with closed", mc.FindWithClosedAlerts, mc.FindWithClosedAlertsByNextID, "150", "failure 0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p1, err := tt.first()
			if err != nil || len(p1.Alerts) != 100 || p1.NextID == "" {
				t.Fatalf("first page: %d alerts, next %q, %v", len(p1.Alerts), p1.NextID, err)
			}
			p2, err := tt.next(p1.NextID)
			if err != nil || p2.NextID != "" {
				t.Fatalf("second page: next %q, %v", p2.NextID, err)
			}
			all := append(p1.Alerts, p2.Alerts...)
			seen := map[string]bool{}
			for i, a := range all {
				if seen[a.ID] {
					t.Fatalf("alert %s on both pages", a.ID)
				}
				seen[a.ID] = true
				if i > 0 && a.OpenedAt > all[i-1].OpenedAt {
					t.Fatalf("alerts not newest first at %d", i)
				}
			}
			got := fmt.Sprintf("%d %s %s", len(all), all[0].Message, all[len(all)-1].Message)
			if want := tt.total + " failure 149 " + tt.last; got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}

	limit := 60
	var names []string
	params := &mackerel.FindCheckMonitorsParam{Limit: &limit}
	for pages := 0; ; pages++ {
		resp, err := mc.FindCheckMonitors(params)
		if err != nil || pages > 3 {
			t.Fatalf("FindCheckMonitors page %d: %v", pages, err)
		}
		for _, c := range resp.Checks {
			names = append(names, c.Name)
		}
		if resp.NextID == "" {
			break
		}
		params = &mackerel.FindCheckMonitorsParam{Limit: &limit, NextID: &resp.NextID}
	}
	sort.Strings(names)
	if len(names) != 150 || names[0] != "check-000" || names[149] != "check-149" {
		t.Errorf("FindCheckMonitors over pages of 60: %d names", len(names))
	}
}
