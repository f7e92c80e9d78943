package backend_test

// Check-report semantics of the backend (Mackerel API §2.5, §4.6): when a
// report opens, updates or closes an alert, and which reports are ignored
// or rejected, observed through the HTTP handler and the database.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

// twPost sends one check-report request (reports given as JSON objects)
// and returns the status and body.
func twPost(t *testing.T, env *backendtest.Env, reports ...string) (int, string) {
	t.Helper()
	body := `{"reports":[` + strings.Join(reports, ",") + `]}`
	req := httptest.NewRequest(http.MethodPost, "/api/v0/monitoring/checks/report", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Api-Key", "test-api-key")
	rec := httptest.NewRecorder()
	env.Handler.ServeHTTP(rec, req)
	return rec.Code, strings.TrimSpace(rec.Body.String())
}

// twRep is one report as JSON; extra holds more fields ("" for none).
func twRep(host, name, status string, at int64, extra string) string {
	s := fmt.Sprintf(`{"source":{"type":"host","hostId":%q},"name":%q,"status":%q,"message":"%s at %d","occurredAt":%d`,
		host, name, status, status, at, at)
	if extra != "" {
		s += "," + extra
	}
	return s + "}"
}

// twAlertStates summarises every alert of env, oldest first:
// "<status> <open|closed> <message>".
func twAlertStates(t *testing.T, env *backendtest.Env) []string {
	t.Helper()
	alerts, _, err := env.Store.ListAlerts(t.Context(), true, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for i := len(alerts) - 1; i >= 0; i-- {
		a := alerts[i]
		state := "open"
		if a.ClosedAt != 0 {
			state = "closed"
		}
		out = append(out, fmt.Sprintf("%s %s %s", a.Status, state, a.Message))
	}
	return out
}

func twMustPost(t *testing.T, env *backendtest.Env, reports ...string) {
	t.Helper()
	if code, body := twPost(t, env, reports...); code != http.StatusOK || body != `{"success":true}` {
		t.Fatalf("POST check reports: %d %s", code, body)
	}
}

// TestWCheckMaxCheckAttempts: an alert opens only after maxCheckAttempts
// consecutive non-OK reports; an OK report resets the count.
func TestWCheckMaxCheckAttempts(t *testing.T) {
	tests := []struct {
		name     string
		attempts string // the maxCheckAttempts field, "" to omit it
		statuses string // one report per letter: O(K) W(ARNING) C(RITICAL) U(NKNOWN)
		want     []string
	}{
		{"default 1: the first failure alerts", "", "C", []string{"CRITICAL open CRITICAL at 1"}},
		{"3: two failures do not alert", `"maxCheckAttempts":3`, "CC", []string{}},
		{"3: the third consecutive failure alerts", `"maxCheckAttempts":3`, "CWC",
			[]string{"CRITICAL open CRITICAL at 3"}},
		{"3: an OK in between starts over", `"maxCheckAttempts":3`, "CCOCC", []string{}},
		{"3: open, status changes, then recovery closes", `"maxCheckAttempts":3`, "WWWCO",
			[]string{"OK closed CRITICAL at 4"}},
		{"2: a new incident after recovery needs 2 again", `"maxCheckAttempts":2`, "UUOCOCC",
			[]string{"OK closed UNKNOWN at 2", "CRITICAL open CRITICAL at 7"}},
		{"10 is allowed", `"maxCheckAttempts":10`, "CCCCCCCCC", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := backendtest.New(t)
			host := env.MustCreateHost(t, store.NewHost{Name: "web01"})
			status := map[rune]string{'O': "OK", 'W': "WARNING", 'C': "CRITICAL", 'U': "UNKNOWN"}
			for i, c := range tt.statuses {
				// occurredAt 1, 2, … relative to an epoch the clock follows.
				env.Clock.Set(time.Unix(int64(i+1), 0).Add(time.Minute))
				twMustPost(t, env, twRep(host, "job", status[c], int64(i+1), tt.attempts))
			}
			if got := twAlertStates(t, env); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("alerts after %s:\n got %q\nwant %q", tt.statuses, got, tt.want)
			}
		})
	}
}

// TestWCheckIgnoredReports: stale (6 h or older), duplicate and out-of-order
// reports, and reports about retired hosts, are accepted but change nothing.
func TestWCheckIgnoredReports(t *testing.T) {
	env := backendtest.New(t)
	host := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	other := env.MustCreateHost(t, store.NewHost{Name: "web02"})
	retired := env.MustCreateHost(t, store.NewHost{Name: "gone"})
	if err := env.Engine.RetireHosts(t.Context(), []string{retired}); err != nil {
		t.Fatal(err)
	}
	now := env.Clock.Now().Unix()
	sixHours := int64(6 * 60 * 60)

	twMustPost(t, env, twRep(host, "job", "CRITICAL", now-60, ""))
	// check_reports only remembers which reports arrived, for duplicate
	// detection; everything else must stay as it is.
	before := twDumpWithout(env.MustDump(t), "check_reports")
	for _, tt := range []struct {
		name   string
		report string
	}{
		{"exactly 6 h old", twRep(host, "stale", "CRITICAL", now-sixHours, "")},
		{"older than 6 h", twRep(host, "stale", "CRITICAL", now-sixHours-3600, "")},
		{"an exact repeat (same host, name, time, status and message)", twRep(host, "job", "CRITICAL", now-60, "")},
		{"older than the latest result", twRep(host, "job", "OK", now-120, "")},
		{"about a retired host", twRep(retired, "job", "CRITICAL", now, "")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			twMustPost(t, env, tt.report)
			if after := twDumpWithout(env.MustDump(t), "check_reports"); after != before {
				t.Errorf("the report changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}

	// Not ignored: just under 6 h old, the same time on another host, and
	// the same host and time under another name.
	twMustPost(t, env,
		twRep(host, "recent", "WARNING", now-sixHours+1, ""),
		twRep(other, "job", "CRITICAL", now-60, ""),
		twRep(host, "job2", "CRITICAL", now-60, ""))
	want := []string{
		fmt.Sprintf("CRITICAL open CRITICAL at %d", now-60),
		fmt.Sprintf("WARNING open WARNING at %d", now-sixHours+1),
		fmt.Sprintf("CRITICAL open CRITICAL at %d", now-60),
		fmt.Sprintf("CRITICAL open CRITICAL at %d", now-60),
	}
	if got := twAlertStates(t, env); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("alerts:\n got %q\nwant %q", got, want)
	}
}

// twDumpWithout drops one table's section from a backendtest dump.
func twDumpWithout(dump, table string) string {
	var b strings.Builder
	skip := false
	for _, line := range strings.SplitAfter(dump, "\n") {
		if strings.HasPrefix(line, "== ") {
			skip = strings.HasPrefix(line, "== "+table+" ")
		}
		if !skip {
			b.WriteString(line)
		}
	}
	return b.String()
}

// TestWCheckNotificationInterval: under 10 minutes is stored as 10,
// omitted or 0 as none.
func TestWCheckNotificationInterval(t *testing.T) {
	env := backendtest.New(t)
	host := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	now := env.Clock.Now().Unix()
	twMustPost(t, env,
		twRep(host, "i-omitted", "CRITICAL", now, ""),
		twRep(host, "i-zero", "CRITICAL", now, `"notificationInterval":0`),
		twRep(host, "i-one", "CRITICAL", now, `"notificationInterval":1`),
		twRep(host, "i-nine", "CRITICAL", now, `"notificationInterval":9`),
		twRep(host, "i-ten", "CRITICAL", now, `"notificationInterval":10`),
		twRep(host, "i-hour", "CRITICAL", now, `"notificationInterval":60`))
	monitors, _, err := env.Store.ListCheckMonitors(t.Context(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	// Read through the store (not a dump), so both engines answer alike.
	got := map[string]string{}
	for _, m := range monitors {
		n, err := env.Store.CheckNotificationInterval(t.Context(), host, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		got[m.Name] = fmt.Sprint(n)
	}
	want := map[string]string{"i-omitted": "0", "i-zero": "0", "i-one": "10", "i-nine": "10", "i-ten": "10", "i-hour": "60"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("stored notification intervals:\n got %v\nwant %v", got, want)
	}
}

// TestWCheckRejectedRequests: a request the API refuses stores nothing,
// not even its valid reports.
func TestWCheckRejectedRequests(t *testing.T) {
	env := backendtest.New(t)
	host := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	now := env.Clock.Now().Unix()
	good := twRep(host, "good", "CRITICAL", now, "")
	many := make([]string, 101)
	for i := range many {
		many[i] = twRep(host, fmt.Sprintf("c%d", i), "CRITICAL", now, "")
	}
	before := env.MustDump(t)
	for _, tt := range []struct {
		name    string
		reports []string
		status  int
		message string
	}{
		{"101 reports", many, 400, "Too many reports: at most 100 per request."},
		{"an unknown host", []string{good, twRep("nosuchhost", "x", "CRITICAL", now, "")}, 404, "Host Not Found."},
		{"a bad status", []string{good, twRep(host, "x", "BROKEN", now, "")}, 400, `Report 1: status must be OK, WARNING, CRITICAL or UNKNOWN, not "BROKEN".`},
		{"a bad name", []string{good, twRep(host, "a b", "OK", now, "")}, 400, `Report 1: invalid check name "a b": use A-Z a-z 0-9 _ -.`},
		{"a bad source type", []string{strings.Replace(good, `"type":"host"`, `"type":"service"`, 1)}, 400, `Report 0: source.type must be "host".`},
		{"maxCheckAttempts 11", []string{good, twRep(host, "x", "OK", now, `"maxCheckAttempts":11`)}, 400, "Report 1: maxCheckAttempts must be between 1 and 10."},
		{"no occurredAt", []string{good, `{"source":{"type":"host","hostId":"` + host + `"},"name":"x","status":"OK","message":""}`}, 400, "Report 1: occurredAt must be a positive epoch in seconds."},
		{"a message over 1024 characters", []string{good, fmt.Sprintf(`{"source":{"type":"host","hostId":%q},"name":"x","status":"OK","message":%q,"occurredAt":%d}`, host, strings.Repeat("é", 1025), now)}, 400, "Report 1: message is longer than 1024 characters."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, body := twPost(t, env, tt.reports...)
			var e struct {
				Error struct {
					Message string `json:"message"`
				} `json:"error"`
			}
			if err := json.Unmarshal([]byte(body), &e); err != nil || code != tt.status || e.Error.Message != tt.message {
				t.Errorf("got %d %s, want %d %q", code, body, tt.status, tt.message)
			}
			if after := env.MustDump(t); after != before {
				t.Errorf("a rejected request changed the database:\n%s", after)
			}
		})
	}
	// 100 is fine, and a message of exactly 1024 characters too.
	twMustPost(t, env, many[:100]...)
	twMustPost(t, env, fmt.Sprintf(`{"source":{"type":"host","hostId":%q},"name":"long","status":"OK","message":%q,"occurredAt":%d}`, host, strings.Repeat("é", 1024), now))
}
