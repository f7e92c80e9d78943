package backend_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend"
)

// checkReports is a report body: a good report, then one whose occurredAt
// is the raw JSON at, so a refusal must name report 1.
func checkReports(host string, now int64, at string) string {
	rep := func(name, at string) string {
		return fmt.Sprintf(`{"source":{"type":"host","hostId":%q},"name":%q,"status":"CRITICAL","message":"m","occurredAt":%s}`, host, name, at)
	}
	return `{"reports":[` + rep("good", fmt.Sprint(now)) + "," + rep("bad", at) + `]}`
}

// An occurredAt that is not a whole number of seconds within int64 is a
// 400 naming the report. Truncated, 0.5 became 0 and 1e300 an undefined
// int64: both were answered 200 and dropped as stale.
func TestBadCheckReportTimes(t *testing.T) {
	t.Parallel()
	f := newFixture(t, backend.Options{})
	now := f.env.Clock.Now().Unix()
	const path = "/api/v0/monitoring/checks/report"
	var cases []badCase
	for _, c := range []struct{ name, at, msg string }{
		{"a half second", "0.5", "Report 1: occurredAt must be a whole number of epoch seconds, not 0.5."},
		{"now and a half", fmt.Sprintf("%d.5", now), fmt.Sprintf("Report 1: occurredAt must be a whole number of epoch seconds, not %d.5.", now)},
		{"a tiny fraction", "1e-300", "Report 1: occurredAt must be a whole number of epoch seconds, not 1e-300."},
		{"1e300", "1e300", "Report 1: occurredAt 1e300 is out of range (epoch seconds expected)."},
		{"-1e300", "-1e300", "Report 1: occurredAt -1e300 is out of range (epoch seconds expected)."},
		{"beyond float64", "1e400", "Report 1: occurredAt 1e400 is out of range (epoch seconds expected)."},
		{"2^63", "9223372036854775808", "Report 1: occurredAt 9223372036854775808 is out of range (epoch seconds expected)."},
		{"below -2^63", "-9223372036854775809", "Report 1: occurredAt -9223372036854775809 is out of range (epoch seconds expected)."},
		{"a long number", "1" + strings.Repeat("0", 400), "Report 1: occurredAt " + "1" + strings.Repeat("0", 39) + "… is out of range (epoch seconds expected)."},
		{"NaN as a string", `"NaN"`, `Report 1: occurredAt must be a number of epoch seconds, not "NaN".`},
		{"Infinity as a string", `"Infinity"`, `Report 1: occurredAt must be a number of epoch seconds, not "Infinity".`},
		{"a numeric string", fmt.Sprintf(`"%d"`, now), fmt.Sprintf(`Report 1: occurredAt must be a number of epoch seconds, not "%d".`, now)},
		{"a long string cut at a character", `"` + strings.Repeat("é", 30) + `"`, `Report 1: occurredAt must be a number of epoch seconds, not "` + strings.Repeat("é", 19) + `….`},
		{"a boolean", "true", "Report 1: occurredAt must be a number of epoch seconds, not true."},
		{"an object", `{}`, "Report 1: occurredAt must be a number of epoch seconds, not {}."},
		{"null", "null", "Report 1: occurredAt must be a positive epoch in seconds."},
		{"zero", "0", "Report 1: occurredAt must be a positive epoch in seconds."},
		{"-0.0", "-0.0", "Report 1: occurredAt must be a positive epoch in seconds."},
		{"negative", "-1", "Report 1: occurredAt must be a positive epoch in seconds."},
	} {
		cases = append(cases, badCase{c.name, "POST", path, checkReports(f.live, now, c.at), http.StatusBadRequest, c.msg})
	}
	runBad(t, f, cases)
}

// A whole number written as a float is a whole number: accepted as is.
func TestCheckReportWholeFloatTimes(t *testing.T) {
	t.Parallel()
	for _, at := range []string{"%d.0", "%d.000", "%de0", "%d0e-1"} {
		t.Run(at, func(t *testing.T) {
			f := newFixture(t, backend.Options{})
			now := f.env.Clock.Now().Unix()
			raw := fmt.Sprintf(at, now)
			resp := serve(t, f.env.Handler, "POST", "/api/v0/monitoring/checks/report", checkReports(f.live, now, raw))
			if resp.status != http.StatusOK {
				t.Fatalf("occurredAt %s: %d %s", raw, resp.status, resp.body)
			}
			states, err := f.env.Store.MonitoredStatuses(context.Background(), f.live)
			if err != nil {
				t.Fatal(err)
			}
			if len(states) != 2 {
				t.Fatalf("occurredAt %s: %d monitored statuses, want 2 (both reports applied): %+v", raw, len(states), states)
			}
		})
	}
}
