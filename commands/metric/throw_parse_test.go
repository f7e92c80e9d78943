package metric

import (
	"testing"
	"time"
)

// TestParsePrometheusTimestamp: Prometheus timestamps are milliseconds,
// but one below 10^11 is taken as seconds (issue #13): read as
// milliseconds it would be in 1970 and dropped as too old.
func TestParsePrometheusTimestamp(t *testing.T) {
	now := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	tests := []struct {
		ts   string
		want int64
		err  string
	}{
		{"1714979289000", 1714979289, ""},           // milliseconds
		{"1714979289999", 1714979289, ""},           // truncated
		{"1714979289", 1714979289, ""},              // seconds
		{"100000000000", 100000000, ""},             // 10^11: milliseconds (1973)
		{"99999999999", 99999999999, ""},            // just below: seconds (year 5138)
		{"1", 1, ""},                                // seconds
		{"0", 0, `invalid timestamp "0"`},           // before the epoch's first second
		{"-5", 0, `invalid timestamp "-5"`},         // negative
		{"1.5e12", 0, `invalid timestamp "1.5e12"`}, // not an integer
	}
	for _, tt := range tests {
		m, ok, err := parsePrometheusLine("x 1 "+tt.ts, now)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%s: %v, %v; want error %q", tt.ts, m, err, tt.err)
			}
			continue
		}
		if err != nil || !ok || m.Time != tt.want {
			t.Errorf("%s: time %d (ok %v, %v), want %d", tt.ts, m.Time, ok, err, tt.want)
		}
	}
	if m, _, _ := parsePrometheusLine("x 1", now); m.Time != now.Unix() {
		t.Errorf("no timestamp: time %d, want now %d", m.Time, now.Unix())
	}
}

// TestCheckFuture: a time up to client.MaxMetricTimeAhead after now is
// kept; one second more is refused, as the API would refuse it.
func TestCheckFuture(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	if err := checkFuture(metricLine{Time: now.Unix() + 600}, now); err != nil {
		t.Errorf("10 minutes ahead: %v", err)
	}
	want := "time 1700000601 is more than 10 minutes in the future (epoch seconds, not milliseconds)"
	if err := checkFuture(metricLine{Time: now.Unix() + 601}, now); err == nil || err.Error() != want {
		t.Errorf("10 minutes and a second ahead: %v, want %q", err, want)
	}
}
