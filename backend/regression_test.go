package backend_test

// Regression tests for defects found in review: each case failed before
// its fix.

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

// A host whose meta has a well-known key of the wrong type would break
// every client's host listing, so it is refused.
func TestMetaTypesChecked(t *testing.T) {
	env := backendtest.New(t)
	for _, tc := range []struct{ meta, msg string }{
		{`{"memory":{"total":123}}`, "meta.memory has the wrong type: expected a string, not number"},
		{`{"kernel":"Linux"}`, "meta.kernel has the wrong type: expected an object, not string"},
		{`{"cpu":{"model":"x"}}`, "meta.cpu has the wrong type: expected an array, not object"},
		{`{"agent-version":1}`, "meta.agent-version has the wrong type: expected a string, not number"},
	} {
		status, body := tsDo(env.Handler, "POST", "/api/v0/hosts", `{"name":"h","meta":`+tc.meta+`}`)
		if status != 400 || body != tsErrorBody(tc.msg) {
			t.Errorf("meta %s → %d %s, want 400 %q", tc.meta, status, body, tc.msg)
		}
	}
	status, _ := tsDo(env.Handler, "POST", "/api/v0/hosts", `{"name":"h","meta":{"memory":{"total":"1kB"},"custom":{"any":[1,{"x":null}]}}}`)
	if status != 200 {
		t.Fatalf("valid meta with an unknown key → %d, want 200", status)
	}
	if _, err := env.Client.FindHosts(context.Background(), client.FindHostsParam{}); err != nil {
		t.Fatalf("listing hosts after a valid registration: %v", err)
	}
}

// A report from the future (milliseconds sent as seconds) is refused: it
// would make every later real report "older" and freeze the check.
func TestFutureCheckReportRefused(t *testing.T) {
	env := backendtest.New(t)
	host := env.MustCreateHost(t, store.NewHost{Name: "web"})
	future := env.Clock.Now().Add(11 * time.Minute).Unix()
	body := fmt.Sprintf(`{"reports":[{"source":{"type":"host","hostId":%q},"name":"c","status":"CRITICAL","message":"m","occurredAt":%d}]}`, host, future)
	status, got := tsDo(env.Handler, "POST", "/api/v0/monitoring/checks/report", body)
	want := tsErrorBody(fmt.Sprintf("Report 0: occurredAt %d is in the future (epoch seconds expected).", future))
	if status != 400 || got != want {
		t.Fatalf("future report → %d %s, want 400 %s", status, got, want)
	}
	soon := env.Clock.Now().Add(5 * time.Minute).Unix()
	body = fmt.Sprintf(`{"reports":[{"source":{"type":"host","hostId":%q},"name":"c","status":"CRITICAL","message":"m","occurredAt":%d}]}`, host, soon)
	if status, got := tsDo(env.Handler, "POST", "/api/v0/monitoring/checks/report", body); status != 200 {
		t.Fatalf("report within the allowed clock skew → %d %s", status, got)
	}
}

// The 80 KB alert memo limit applies to the memo, not to its JSON
// encoding, which escapes < > & six bytes wide.
func TestAlertMemoLimitIsOnTheMemo(t *testing.T) {
	env := backendtest.New(t)
	ctx := context.Background()
	host := env.MustCreateHost(t, store.NewHost{Name: "web"})
	now := env.Clock.Now().Unix()
	if _, err := env.Engine.ApplyCheckReports(ctx, []store.CheckReport{{HostID: host, Name: "c", Status: "CRITICAL", OccurredAt: now, MaxCheckAttempts: 1}}); err != nil {
		t.Fatal(err)
	}
	alerts, _, err := env.Store.ListAlerts(ctx, false, "", 10)
	if err != nil || len(alerts) != 1 {
		t.Fatalf("alerts: %v, %v", alerts, err)
	}
	memo := strings.Repeat("<", 14000) // 84,000 bytes once escaped as \u003c
	body, _ := json.Marshal(map[string]string{"memo": memo})
	if status, got := tsDo(env.Handler, "PUT", "/api/v0/alerts/"+alerts[0].ID, string(body)); status != 200 {
		t.Fatalf("PUT memo of 14,000 '<' → %d %s, want 200", status, got[:min(len(got), 200)])
	}
	body, _ = json.Marshal(map[string]string{"memo": strings.Repeat("a", 80*1024+1)})
	if status, _ := tsDo(env.Handler, "PUT", "/api/v0/alerts/"+alerts[0].ID, string(body)); status != 413 {
		t.Fatalf("PUT memo over 80 KB → %d, want 413", status)
	}
}

// Accepted-report rows older than the staleness window are pruned as new
// reports of the same check arrive.
func TestCheckReportRowsPruned(t *testing.T) {
	env := backendtest.New(t)
	ctx := context.Background()
	host := env.MustCreateHost(t, store.NewHost{Name: "web"})
	start := env.Clock.Now()
	now := start.Unix()
	// The old reports were fresh when they arrived, 10 hours ago.
	env.Clock.Set(start.Add(-10 * time.Hour))
	for i := int64(0); i < 5; i++ {
		env.Clock.Advance(time.Minute)
		rep := store.CheckReport{HostID: host, Name: "c", Status: "OK", OccurredAt: now - 10*3600 + i*60, MaxCheckAttempts: 1}
		if n, err := env.Engine.ApplyCheckReports(ctx, []store.CheckReport{rep}); err != nil || n != 1 {
			t.Fatalf("old report %d: applied %d, %v", i, n, err)
		}
	}
	env.Clock.Set(start)
	rep := store.CheckReport{HostID: host, Name: "c", Status: "OK", OccurredAt: now, MaxCheckAttempts: 1}
	if _, err := env.Engine.ApplyCheckReports(ctx, []store.CheckReport{rep}); err != nil {
		t.Fatal(err)
	}
	if dump := env.MustDump(t); !strings.Contains(dump, "== check_reports (1 rows)\n") {
		t.Errorf("stale check_reports rows survived:\n%s", dump)
	}
}

// The metadata size limit is on the value: blanks around it do not count.
func TestMetadataLimitIgnoresBlanks(t *testing.T) {
	env := backendtest.New(t)
	host := env.MustCreateHost(t, store.NewHost{Name: "web"})
	value := `"` + strings.Repeat("x", 100*1024-2) + `"` // exactly 100 KB
	status, got := tsDo(env.Handler, "PUT", "/api/v0/hosts/"+host+"/metadata/ns", strings.Repeat(" ", 200)+value+"\n")
	if status != 200 {
		t.Fatalf("100 KB value with blanks → %d %s, want 200", status, got)
	}
}

// tsdb/latest bounds host × name pairs with a 400 instead of failing in
// SQLite with a 500.
func TestLatestPairsBounded(t *testing.T) {
	env := backendtest.New(t)
	var q strings.Builder
	for i := 0; i < 101; i++ {
		fmt.Fprintf(&q, "hostId=h%d&", i)
	}
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&q, "name=n%d&", i)
	}
	status, got := tsDo(env.Handler, "GET", "/api/v0/tsdb/latest?"+q.String(), "")
	if want := tsErrorBody("Too many hostId × name pairs (10100): at most 10000 per request."); status != 400 || got != want {
		t.Fatalf("→ %d %s, want 400 %s", status, got, want)
	}
}
