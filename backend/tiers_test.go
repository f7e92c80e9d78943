package backend_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

// tierRequest sends one request to the handler and returns the status and
// body.
func tierRequest(t *testing.T, e *backendtest.Env, method, path, body string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(body)))
	return rec.Code, rec.Body.String()
}

// tierMetrics GETs a metrics path and decodes the answer.
func tierMetrics(t *testing.T, e *backendtest.Env, path string) []client.MetricValue {
	t.Helper()
	code, body := tierRequest(t, e, "GET", path, "")
	if code != http.StatusOK {
		t.Fatalf("GET %s = %d %s", path, code, body)
	}
	var out struct {
		Metrics []client.MetricValue `json:"metrics"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, body)
	}
	return out.Metrics
}

// Long ranges answer averaged points (as the hosted API does), in the
// hosted shape; resolution= asks for one; sealing changes no answer.
func TestMetricReadResolution(t *testing.T) {
	e := backendtest.New(t)
	ctx := context.Background()
	h := e.MustCreateHost(t, store.NewHost{Name: "web01", Status: "working"})
	e.MustCreateService(t, "blog")
	now := e.Clock.Now().Unix()
	// 32 days of points valued by their minute of the day, on a host and
	// a service: every minute for the first two days (the raw and first
	// 5-minute reads), then every 5 minutes, one in each bucket of the
	// longer reads (fewer points keep the test fast).
	start := now - 32*86400
	start -= start % 3600
	minutesUntil := start + 2*86400
	next := func(t int64) int64 {
		if t < minutesUntil {
			return t + 60
		}
		return t + 300
	}
	var pts []store.SeriesPoint
	for t := start; t <= now; t = next(t) {
		v := float64(t % 86400 / 60)
		pts = append(pts, store.SeriesPoint{Key: store.HostSeries(h, "custom.res.m"), Point: store.Point{Time: t, Value: v}},
			store.SeriesPoint{Key: store.ServiceSeries("blog", "custom.res.m"), Point: store.Point{Time: t, Value: v}})
	}
	if err := e.Store.InsertPoints(ctx, pts); err != nil {
		t.Fatal(err)
	}
	host := func(from, to int64, extra string) string {
		return fmt.Sprintf("/api/v0/hosts/%s/metrics?name=custom.res.m&from=%d&to=%d%s", h, from, to, extra)
	}
	tests := []struct {
		name  string
		path  string
		n     int   // points answered
		step  int64 // between answered times (0: not checked)
		first client.MetricValue
	}{
		{"an hour: raw", host(start, start+3600, ""), 61, 60, client.MetricValue{Time: start, Value: float64(start % 86400 / 60)}},
		{"25 hours: raw", host(start, start+25*3600, ""), 25*60 + 1, 60, client.MetricValue{Time: start, Value: float64(start % 86400 / 60)}},
		{"two days: 5-minute means", host(start, start+2*86400, ""), 2*288 + 1, 300, client.MetricValue{Time: start, Value: float64(start%86400/60) + 2}},
		{"31 days: 5-minute means", host(start, start+31*86400, ""), 31*288 + 1, 300, client.MetricValue{Time: start, Value: float64(start%86400/60) + 2}},
		{"32 days: hourly means", host(start, now, ""), 32*24 + 1, 3600, client.MetricValue{Time: start, Value: float64(start%86400/60) + 29.5}},
		{"two days, raw asked", host(start, start+2*86400-60, "&resolution=raw"), 2 * 1440, 60, client.MetricValue{Time: start, Value: float64(start % 86400 / 60)}},
		{"32 days, raw asked", host(start, now, "&resolution=raw"), 2*1440 + int(now-minutesUntil)/300 + 1, 0, client.MetricValue{Time: start, Value: float64(start % 86400 / 60)}},
		{"an hour, 5m asked", host(start, start+3599, "&resolution=5m"), 12, 300, client.MetricValue{Time: start, Value: float64(start%86400/60) + 2}},
		{"two days, auto asked", host(start, start+2*86400, "&resolution=auto"), 2*288 + 1, 300, client.MetricValue{Time: start, Value: float64(start%86400/60) + 2}},
		{"service, 32 days", fmt.Sprintf("/api/v0/services/blog/metrics?name=custom.res.m&from=%d&to=%d", start, now), 32*24 + 1, 3600, client.MetricValue{Time: start, Value: float64(start%86400/60) + 29.5}},
	}
	answers := map[string]string{}
	for _, tt := range tests {
		got := tierMetrics(t, e, tt.path)
		if len(got) != tt.n || got[0] != tt.first {
			t.Errorf("%s: %d points from %+v, want %d from %+v", tt.name, len(got), got[0], tt.n, tt.first)
			continue
		}
		for i := 1; i < len(got) && tt.step > 0; i++ {
			if got[i].Time-got[i-1].Time != tt.step {
				t.Errorf("%s: point %d at %d after %d, want a step of %d", tt.name, i, got[i].Time, got[i-1].Time, tt.step)
				break
			}
		}
		_, answers[tt.name] = tierRequest(t, e, "GET", tt.path, "")
	}
	// The hosted shape, exactly: {"metrics":[{"time":…,"value":…}]}.
	if _, body := tierRequest(t, e, "GET", host(start, start+299, "&resolution=5m"), ""); strings.TrimSpace(body) != fmt.Sprintf(`{"metrics":[{"time":%d,"value":%d}]}`, start, start%86400/60+2) {
		t.Errorf("5-minute answer = %s", body)
	}

	code, body := tierRequest(t, e, "GET", host(start, now, "&resolution=1d"), "")
	if code != http.StatusBadRequest || !strings.Contains(body, `resolution must be raw, 5m, 1h or auto, not \"1d\".`) {
		t.Errorf("resolution=1d: %d %s", code, body)
	}

	out, err := e.Backend.CompactMetrics(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var res store.CompactResult
	if err := json.Unmarshal(out, &res); err != nil || res.SealedBlocks < 60 || !res.Done {
		t.Fatalf("CompactMetrics = %s, %v", out, err)
	}
	for _, tt := range tests {
		if _, body := tierRequest(t, e, "GET", tt.path, ""); body != answers[tt.name] {
			t.Errorf("%s: the answer changed after sealing", tt.name)
		}
	}
}

// One-second points go through the API and back exactly, hot and sealed.
func TestSubMinutePointsThroughAPI(t *testing.T) {
	e := backendtest.NewWithOptions(t, backendtest.Options{Backend: backend.Options{MetricBackfillWindow: -1}})
	h := e.MustCreateHost(t, store.NewHost{Name: "web01", Status: "working"})
	now := e.Clock.Now().Unix()
	from := now - 3*86400
	var body strings.Builder
	body.WriteString("[")
	for i := range 120 {
		if i > 0 {
			body.WriteString(",")
		}
		fmt.Fprintf(&body, `{"hostId":%q,"name":"custom.fast","time":%d,"value":%g}`, h, from+int64(i), float64(i)/8)
	}
	body.WriteString("]")
	if code, out := tierRequest(t, e, "POST", "/api/v0/tsdb", body.String()); code != http.StatusOK {
		t.Fatalf("POST = %d %s", code, out)
	}
	path := fmt.Sprintf("/api/v0/hosts/%s/metrics?name=custom.fast&from=%d&to=%d", h, from, from+3600)
	for _, when := range []string{"hot", "sealed"} {
		got := tierMetrics(t, e, path)
		if len(got) != 120 {
			t.Fatalf("%s: %d points, want 120", when, len(got))
		}
		for i, p := range got {
			if p.Time != from+int64(i) || p.Value != float64(i)/8 {
				t.Fatalf("%s: point %d = %+v", when, i, p)
			}
		}
		if _, err := e.Backend.CompactMetrics(context.Background(), 0); err != nil {
			t.Fatal(err)
		}
	}
}

// Local mode seals a little after each write request, and never expires
// (it does not know serve's retention).
func TestLocalWriteSeals(t *testing.T) {
	e := backendtest.New(t)
	ctx := context.Background()
	h := e.MustCreateHost(t, store.NewHost{Name: "web01", Status: "working"})
	now := e.Clock.Now().Unix()
	old := []store.SeriesPoint{
		{Key: store.HostSeries(h, "custom.old"), Point: store.Point{Time: now - 3*86400, Value: 1}},
		{Key: store.HostSeries(h, "custom.old"), Point: store.Point{Time: now - 500*86400, Value: 2}},
	}
	if err := e.Store.InsertPoints(ctx, old); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`[{"hostId":%q,"name":"custom.new","time":%d,"value":3}]`, h, now)
	if code, out := tierRequest(t, e, "POST", "/api/v0/tsdb", body); code != http.StatusOK {
		t.Fatalf("POST = %d %s", code, out)
	}
	// The write sealed both old days: a complete run finds nothing to seal.
	res, err := e.Store.Compact(ctx, store.CompactOptions{Retention: -1})
	if err != nil || res.SealedPoints != 0 || res.SealedBlocks != 0 {
		t.Errorf("Compact after a local write = %+v, %v; want nothing left to seal", res, err)
	}
	if n, err := e.Store.CountPoints(ctx); err != nil || n != 3 {
		t.Errorf("CountPoints = %d, %v; want 3 (nothing expired by a local write)", n, err)
	}
	if _, err := e.Backend.CompactMetrics(ctx, time.Hour); err == nil || !strings.Contains(err.Error(), "retention must be at least 48h0m0s") {
		t.Errorf("CompactMetrics with a retention of an hour: %v", err)
	}
	if err := e.Backend.ConfigureRetention(100 * 24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	out, err := e.Backend.CompactMetrics(ctx, 0)
	if err != nil || !strings.Contains(string(out), `"expiredPoints":1,"expiredBlocks":1`) {
		t.Errorf("CompactMetrics with the configured 100 days = %s, %v", out, err)
	}
}
