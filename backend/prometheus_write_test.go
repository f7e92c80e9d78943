package backend_test

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/auth"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/promremote"
	"github.com/mkr-dev/mkr/backend/store"
)

// promSeries builds a series from "name", "k=v", … and samples.
func promSeries(name string, labels []string, samples ...promremote.Sample) promremote.TimeSeries {
	ls := []promremote.Label{{Name: "__name__", Value: name}}
	for _, kv := range labels {
		k, v, _ := strings.Cut(kv, "=")
		ls = append(ls, promremote.Label{Name: k, Value: v})
	}
	return promremote.TimeSeries{Labels: ls, Samples: samples}
}

// promBody is a request body as Prometheus sends it.
func promBody(series ...promremote.TimeSeries) string {
	return string(promremote.Encode(promremote.AppendWriteRequest(nil, series)))
}

// promPost sends a remote write request with Prometheus' headers.
func promPost(h http.Handler, target, body string, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", target, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-protobuf")
	r.Header.Set("Content-Encoding", "snappy")
	r.Header.Set("X-Prometheus-Remote-Write-Version", "0.1.0")
	for k, v := range header {
		r.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

var promNow = backendtest.Epoch.UnixMilli()

// TestPromWriteMapping: the documented rules, one series each, and where
// each lands (or why it is refused).
func TestPromWriteMapping(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	env.MustCreateService(t, "web")
	env.MustCreateService(t, "prom")
	byID := env.MustCreateHost(t, store.NewHost{Name: "by-id"})
	byCI := env.MustCreateHost(t, store.NewHost{Name: "other", CustomIdentifier: "node1:9100"})
	byName := env.MustCreateHost(t, store.NewHost{Name: "db01"})
	env.MustCreateHost(t, store.NewHost{Name: "twin"})
	env.MustCreateHost(t, store.NewHost{Name: "twin"})
	retired := env.MustCreateHost(t, store.NewHost{Name: "gone"})
	if err := env.Engine.RetireHosts(context.Background(), []string{retired}); err != nil {
		t.Fatal(err)
	}
	s := promremote.Sample{Value: 42, Timestamp: promNow}
	tests := []struct {
		name    string
		series  promremote.TimeSeries
		target  string          // "" when refused
		key     store.SeriesKey // where the sample lands
		dropped string          // X-Mkr-Samples-Dropped
	}{
		{"host id", promSeries("up", []string{"mackerel_host_id=" + byID, "instance=x:1", "job=node"}, s), "/api/v1/write",
			store.HostSeries(byID, "custom.up.instance_x_1.job_node"), ""},
		{"host id wins over service", promSeries("up", []string{"mackerel_host_id=" + byID, "mackerel_service=web"}, s), "/api/v1/write",
			store.HostSeries(byID, "custom.up"), ""},
		{"service label wins over instance", promSeries("req_total", []string{"mackerel_service=web", "instance=db01:9100", "code=200"}, s), "/api/v1/write",
			store.ServiceSeries("web", "req_total.code_200.instance_db01_9100"), ""},
		{"instance = custom identifier", promSeries("node_load1", []string{"instance=node1:9100"}, s), "/api/v1/write",
			store.HostSeries(byCI, "custom.node_load1"), ""},
		{"instance without port = name", promSeries("node_load1", []string{"instance=db01:9100", "job=node"}, s), "/api/v1/write",
			store.HostSeries(byName, "custom.node_load1.job_node"), ""},
		{"a dot in the name folds like any other character", promSeries("custom.x", []string{"instance=db01"}, s), "/api/v1/write",
			store.HostSeries(byName, "custom.custom_x"), ""},
		{"unmatched instance falls back to ?service=", promSeries("up", []string{"instance=nowhere:9090", "job=prometheus"}, s), "/api/v1/write?service=prom",
			store.ServiceSeries("prom", "up.instance_nowhere_9090.job_prometheus"), ""},
		{"unmatched instance without fallback", promSeries("up", []string{"instance=nowhere:9090"}, s), "", store.SeriesKey{}, "noTarget=1"},
		{"two live hosts of the name", promSeries("up", []string{"instance=twin:9100"}, s), "", store.SeriesKey{}, "ambiguousInstance=1"},
		{"retired host by name is no match", promSeries("up", []string{"instance=gone"}, s), "", store.SeriesKey{}, "noTarget=1"},
		{"retired host by id", promSeries("up", []string{"mackerel_host_id=" + retired}, s), "", store.SeriesKey{}, "retiredHost=1"},
		{"unknown host id", promSeries("up", []string{"mackerel_host_id=nosuch"}, s), "", store.SeriesKey{}, "unknownHost=1"},
		{"unknown service", promSeries("up", []string{"mackerel_service=nosuch"}, s), "", store.SeriesKey{}, "unknownService=1"},
		{"no name", promremote.TimeSeries{Labels: []promremote.Label{{Name: "mackerel_service", Value: "web"}}, Samples: []promremote.Sample{s}},
			"", store.SeriesKey{}, "noName=1"},
		{"name too long", promSeries(strings.Repeat("n", 300), []string{"mackerel_service=web"}, s), "", store.SeriesKey{}, "invalidName=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := tt.target
			if target == "" {
				target = "/api/v1/write"
			}
			before := env.MustDump(t)
			rec := promPost(env.Handler, target, promBody(tt.series), nil)
			if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
				t.Fatalf("status %d %q, want 204 and no body", rec.Code, rec.Body)
			}
			if got := rec.Header().Get("X-Mkr-Samples-Dropped"); got != tt.dropped {
				t.Errorf("X-Mkr-Samples-Dropped = %q, want %q", got, tt.dropped)
			}
			written := "1"
			if tt.target == "" {
				written = "0"
				if env.MustDump(t) != before {
					t.Errorf("a refused series changed the database")
				}
			}
			if got := rec.Header().Get("X-Prometheus-Remote-Write-Samples-Written"); got != written {
				t.Errorf("samples written = %q, want %s", got, written)
			}
			if tt.target != "" {
				pts, err := env.Store.Points(context.Background(), tt.key, 0, math.MaxInt64)
				if want := []store.Point{{Time: promNow / 1000, Value: 42}}; err != nil || !reflect.DeepEqual(pts, want) {
					t.Errorf("%v: %v, %v; want %v", tt.key, pts, err, want)
				}
			}
		})
	}
}

// TestPromWriteSamples: how samples become points — milliseconds
// truncated to the second (the last sample of a second wins), staleness
// markers and non-finite values dropped, times before 1970-01-01T00:00:01,
// too far ahead or older than the back-fill window dropped; everything
// counted.
func TestPromWriteSamples(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	env.MustCreateService(t, "web")
	sec := promNow - promNow%1000 // a whole second
	body := promBody(promSeries("g", []string{"mackerel_service=web"},
		promremote.Sample{Value: 1, Timestamp: sec - 60_000},
		promremote.Sample{Value: 2, Timestamp: sec - 999}, // the second before sec…
		promremote.Sample{Value: 3, Timestamp: sec},       // …and sec, three times:
		promremote.Sample{Value: 4, Timestamp: sec + 500}, //
		promremote.Sample{Value: 5, Timestamp: sec + 999}, // the last one is kept
		promremote.Sample{Value: promremote.StaleNaN(), Timestamp: sec + 15_000},
		promremote.Sample{Value: math.NaN(), Timestamp: sec + 16_000},
		promremote.Sample{Value: math.Inf(-1), Timestamp: sec + 17_000},
		promremote.Sample{Value: 9, Timestamp: 999},
		promremote.Sample{Value: 9, Timestamp: -5},
		promremote.Sample{Value: 9, Timestamp: sec + 11*60_000},
		promremote.Sample{Value: 9, Timestamp: sec - 25*3600_000},
	))
	rec := promPost(env.Handler, "/api/v1/write", body, nil)
	if rec.Code != http.StatusNoContent {
		t.Fatalf("status %d %s", rec.Code, rec.Body)
	}
	wantDropped := "badTime=2, future=1, notFinite=2, sameSecond=2, stale=1, tooOld=1"
	if got := rec.Header().Get("X-Mkr-Samples-Dropped"); got != wantDropped {
		t.Errorf("dropped = %q, want %q", got, wantDropped)
	}
	if got := rec.Header().Get("X-Prometheus-Remote-Write-Samples-Written"); got != "3" {
		t.Errorf("written = %s, want 3", got)
	}
	pts, err := env.Store.Points(context.Background(), store.ServiceSeries("web", "g"), 0, math.MaxInt64)
	want := []store.Point{{Time: sec/1000 - 60, Value: 1}, {Time: sec/1000 - 1, Value: 2}, {Time: sec / 1000, Value: 5}}
	if err != nil || !reflect.DeepEqual(pts, want) {
		t.Errorf("points %v, %v; want %v", pts, err, want)
	}
}

// TestPromWriteRefusesBadRequests: a body that cannot be read is a 4xx
// with a message saying what is wrong, and stores nothing — not even the
// good series of a request refused for its headers.
func TestPromWriteRefusesBadRequests(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	env.MustCreateService(t, "web")
	good := promBody(promSeries("g", []string{"mackerel_service=web"}, promremote.Sample{Value: 1, Timestamp: promNow}))
	raw := string(promremote.AppendWriteRequest(nil, []promremote.TimeSeries{promSeries("g", []string{"mackerel_service=web"}, promremote.Sample{Value: 1, Timestamp: promNow})}))
	for _, tt := range []struct {
		name, target, body string
		header             map[string]string
		status             int
		msg                string
	}{
		{"not snappy", "/api/v1/write", "\xff\xff\xff\xff\xff\xff", nil, 400,
			"The body is not snappy-compressed (block format): snappy: corrupt input."},
		{"uncompressed protobuf", "/api/v1/write", raw, nil, 400,
			"The body is not snappy-compressed (block format): snappy: corrupt input."},
		{"snappy, not protobuf", "/api/v1/write", string(promremote.Encode([]byte("{\"hello\":1}"))), nil, 400,
			"The body is not a remote write WriteRequest (protobuf): unexpected EOF."},
		{"cut short", "/api/v1/write", string(promremote.Encode([]byte(raw[:len(raw)-4]))), nil, 400,
			"The body is not a remote write WriteRequest (protobuf): unexpected EOF."},
		{"a sample's value as a varint", "/api/v1/write", string(promremote.Encode([]byte("\x0a\x06\x12\x04\x08\x01\x10\x02"))), nil, 400,
			"The body is not a remote write WriteRequest (protobuf): series 0: field 1: wire type 0, want fixed64."},
		{"gzip", "/api/v1/write", good, map[string]string{"Content-Encoding": "gzip"}, 415,
			`Content-Encoding "gzip" is not supported: remote write bodies are snappy-compressed.`},
		{"remote write 2.0", "/api/v1/write", good, map[string]string{"X-Prometheus-Remote-Write-Version": "2.0.0"}, 415,
			`X-Prometheus-Remote-Write-Version "2.0.0" is not supported: this server speaks remote write 0.1.0 (1.0).`},
		{"remote write 2.0 message", "/api/v1/write", good, map[string]string{"Content-Type": "application/x-protobuf;proto=io.prometheus.write.v2.Request"}, 415,
			"Content-Type proto=io.prometheus.write.v2.Request is not supported: send prometheus.WriteRequest (remote write 1.0)."},
		{"unknown fallback service", "/api/v1/write?service=nosuch", good, nil, 404, "Service not found."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := env.MustDump(t)
			rec := promPost(env.Handler, tt.target, tt.body, tt.header)
			wantError(t, response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}, tt.status, tt.msg)
			if env.MustDump(t) != before {
				t.Errorf("a refused request changed the database")
			}
		})
	}
	// The same good body is taken once the headers are right.
	if rec := promPost(env.Handler, "/api/v1/write", good, nil); rec.Code != http.StatusNoContent {
		t.Fatalf("good body: %d %s", rec.Code, rec.Body)
	}
}

// TestPromWriteBodyLimits: the body cap of every route, and a snappy
// header announcing more than MaxDecodedBytes, are 413s.
func TestPromWriteBodyLimits(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	huge := string(promremote.Encode(make([]byte, promremote.MaxDecodedBytes+1))) // zeros compress well
	rec := promPost(env.Handler, "/api/v1/write", huge, nil)
	wantError(t, response{status: rec.Code, body: rec.Body.Bytes()}, 413,
		"The body is 33554433 bytes uncompressed, over 33554432: lower max_samples_per_send in Prometheus' queue_config.")
	big := strings.Repeat("x", 8<<20+1)
	rec = promPost(env.Handler, "/api/v1/write", big, nil)
	wantError(t, response{status: rec.Code, body: rec.Body.Bytes()}, 413,
		"The request body is over 8388608 bytes: lower max_samples_per_send in Prometheus' queue_config.")
}

// TestPromWriteAuth: how Prometheus' remote_write can authenticate to mkr
// serve — X-Api-Key (headers:), bearer token (authorization:) or basic
// auth with the key as password — and a read-only key refused whichever
// way it comes.
func TestPromWriteAuth(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	env.MustCreateService(t, "web")
	ctx := context.Background()
	_, rw, err := env.Backend.CreateAPIKey(ctx, "prometheus", false)
	if err != nil {
		t.Fatal(err)
	}
	_, ro, err := env.Backend.CreateAPIKey(ctx, "viewer", true)
	if err != nil {
		t.Fatal(err)
	}
	keyed := env.Backend.AuthorizedHandler(auth.Config{})
	body := promBody(promSeries("g", []string{"mackerel_service=web"}, promremote.Sample{Value: 1, Timestamp: promNow}))
	basic := func(user, pass string) string {
		r := httptest.NewRequest("GET", "/", nil)
		r.SetBasicAuth(user, pass)
		return r.Header.Get("Authorization")
	}
	for _, tt := range []struct {
		name   string
		header map[string]string
		status int
		msg    string
	}{
		{"no key", nil, 401, msgAuthFailed},
		{"wrong X-Api-Key", map[string]string{"X-Api-Key": "mkr_wrong"}, 401, msgAuthFailed},
		{"wrong bearer", map[string]string{"Authorization": "Bearer mkr_wrong"}, 401, msgAuthFailed},
		{"wrong basic password", map[string]string{"Authorization": basic("mackerel", "mkr_wrong")}, 401, msgAuthFailed},
		{"key as basic user name", map[string]string{"Authorization": basic(rw, "")}, 401, msgAuthFailed},
		{"read-only X-Api-Key", map[string]string{"X-Api-Key": ro}, 403, msgReadOnly},
		{"read-only bearer", map[string]string{"Authorization": "Bearer " + ro}, 403, msgReadOnly},
		{"read-only basic", map[string]string{"Authorization": basic("mackerel", ro)}, 403, msgReadOnly},
		{"X-Api-Key wins over a bearer", map[string]string{"X-Api-Key": ro, "Authorization": "Bearer " + rw}, 403, msgReadOnly},
		{"X-Api-Key", map[string]string{"X-Api-Key": rw}, 204, ""},
		{"bearer", map[string]string{"Authorization": "Bearer " + rw}, 204, ""},
		{"bearer, any case", map[string]string{"Authorization": "bearer " + rw}, 204, ""},
		{"basic", map[string]string{"Authorization": basic("mackerel", rw)}, 204, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := env.MustDump(t)
			rec := promPost(keyed, "/api/v1/write", body, tt.header)
			if tt.msg == "" {
				if rec.Code != tt.status {
					t.Fatalf("status %d %s, want %d", rec.Code, rec.Body, tt.status)
				}
				return
			}
			wantError(t, response{status: rec.Code, body: rec.Body.Bytes()}, tt.status, tt.msg)
			if env.MustDump(t) != before {
				t.Errorf("a refused request changed the database")
			}
		})
	}
}

// TestPromWriteAnonymousLoopback: a Prometheus on the same machine may
// write to a serve without keys on loopback (application/x-protobuf is
// preflighted by browsers, like JSON), but not as text/plain.
func TestPromWriteAnonymousLoopback(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	env.MustCreateService(t, "web")
	anon := env.Backend.AuthorizedHandler(auth.Config{Anonymous: true})
	body := promBody(promSeries("g", []string{"mackerel_service=web"}, promremote.Sample{Value: 1, Timestamp: promNow}))
	before := env.MustDump(t)
	rec := promPost(anon, "http://127.0.0.1:8080/api/v1/write", body, map[string]string{"Content-Type": "text/plain"})
	wantError(t, response{status: rec.Code, body: rec.Body.Bytes()}, 415, "Requests that write must have Content-Type: application/json.")
	if env.MustDump(t) != before {
		t.Errorf("a refused request changed the database")
	}
	if rec := promPost(anon, "http://127.0.0.1:8080/api/v1/write", body, nil); rec.Code != http.StatusNoContent {
		t.Fatalf("status %d %s, want 204", rec.Code, rec.Body)
	}
}
