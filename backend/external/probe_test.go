package external_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/external"
	"github.com/mkr-dev/mkr/backend/monitor"
)

// probeNow is the clock every probe test runs at.
var probeNow = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

func externalMonitor(url string) *monitor.Monitor {
	return &monitor.Monitor{ID: "3Xmon", Type: monitor.TypeExternal, Name: "web", URL: url}
}

func int64p(v int64) *int64 { return &v }

// statusServer answers /<code> with that status code and "hello ok" as body.
func statusServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		if err != nil {
			code = http.StatusOK
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, "hello ok")
	}))
	t.Cleanup(srv.Close)
	return srv
}

func checkResult(t *testing.T, got external.Result, status, message string, wantResponse bool) {
	t.Helper()
	if got.Status != status || got.Message != message {
		t.Errorf("status, message = %q, %q; want %q, %q", got.Status, got.Message, status, message)
	}
	if got.MonitorID != "3Xmon" || got.At != probeNow.Unix() {
		t.Errorf("MonitorID, At = %q, %d; want 3Xmon, %d", got.MonitorID, got.At, probeNow.Unix())
	}
	switch {
	case wantResponse && (got.ResponseTime == nil || *got.ResponseTime < 0):
		t.Errorf("ResponseTime = %v, want a duration", got.ResponseTime)
	case !wantResponse && got.ResponseTime != nil:
		t.Errorf("ResponseTime = %v, want none", *got.ResponseTime)
	}
}

func TestProbeStatusCodes(t *testing.T) {
	srv := statusServer(t)
	tests := []struct {
		name     string
		path     string
		expected *int64
		status   string
		message  string
	}{
		{"200 is OK", "/200", nil, "OK", "200"},
		{"204 is OK", "/204", nil, "OK", "204"},
		{"399 is OK", "/399", nil, "OK", "399"},
		{"400 is CRITICAL", "/400", nil, "CRITICAL", "400"},
		{"404 is CRITICAL", "/404", nil, "CRITICAL", "404"},
		{"500 is CRITICAL", "/500", nil, "CRITICAL", "500"},
		{"503 is CRITICAL", "/503", nil, "CRITICAL", "503"},
		{"expected 404 matches", "/404", int64p(404), "OK", "404"},
		{"expected 200 gets 201", "/201", int64p(200), "CRITICAL", "201"},
		{"expected 200 gets 500", "/500", int64p(200), "CRITICAL", "500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := externalMonitor(srv.URL + tt.path)
			m.ExpectedStatusCode = tt.expected
			got := external.Probe(context.Background(), m, probeNow, external.Options{})
			checkResult(t, got, tt.status, tt.message, true)
		})
	}
}

func TestProbeContainsString(t *testing.T) {
	srv := statusServer(t)
	tests := []struct {
		name     string
		path     string
		contains string
		maxBody  int64
		status   string
		message  string
	}{
		{"found", "/200", "ok", 0, "OK", "200"},
		{"missing", "/200", "healthy", 0, "CRITICAL", `body does not contain "healthy"`},
		{"beyond the bytes read", "/200", "ok", 5, "CRITICAL", `body does not contain "ok"`},
		{"status code decides first", "/500", "healthy", 0, "CRITICAL", "500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := externalMonitor(srv.URL + tt.path)
			m.ContainsString = tt.contains
			got := external.Probe(context.Background(), m, probeNow, external.Options{MaxBodyBytes: tt.maxBody})
			checkResult(t, got, tt.status, tt.message, true)
		})
	}
}

// redirectServer sends /hops/<n> to /hops/<n-1> until /hops/0, which
// answers 200 "arrived".
func redirectServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hops/"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if n > 0 {
			http.Redirect(w, r, fmt.Sprintf("/hops/%d", n-1), http.StatusFound)
			return
		}
		_, _ = io.WriteString(w, "arrived")
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestProbeRedirects(t *testing.T) {
	srv := redirectServer(t)
	tests := []struct {
		name     string
		hops     int
		follow   bool
		contains string
		expected *int64
		status   string
		message  string
	}{
		{"one redirect followed", 1, true, "arrived", nil, "OK", "200"},
		{"two redirects followed", 2, true, "arrived", nil, "OK", "200"},
		{"three redirects are an error", 3, true, "", nil, "CRITICAL", "too many redirects (3 or more)"},
		{"not followed: the 3xx is OK", 1, false, "", nil, "OK", "302"},
		{"not followed, many hops: still the first 3xx", 5, false, "", nil, "OK", "302"},
		{"not followed but 200 expected", 1, false, "", int64p(200), "CRITICAL", "302"},
		{"followed to a 404", -1, true, "", nil, "CRITICAL", "404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := fmt.Sprintf("%s/hops/%d", srv.URL, tt.hops)
			if tt.hops < 0 {
				url = srv.URL + "/nowhere"
			}
			m := externalMonitor(url)
			m.FollowRedirect, m.ContainsString, m.ExpectedStatusCode = tt.follow, tt.contains, tt.expected
			got := external.Probe(context.Background(), m, probeNow, external.Options{})
			checkResult(t, got, tt.status, tt.message, tt.status == "OK" || tt.message != "too many redirects (3 or more)")
		})
	}
}

// requestRecorder remembers the one request it answered.
type requestRecorder struct {
	got  chan *http.Request
	body chan string
}

func recordingServer(t *testing.T) (*httptest.Server, requestRecorder) {
	t.Helper()
	rec := requestRecorder{got: make(chan *http.Request, 1), body: make(chan string, 1)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rec.got <- r
		rec.body <- string(b)
	}))
	t.Cleanup(srv.Close)
	return srv, rec
}

func TestProbeSendsMethodBodyAndHeaders(t *testing.T) {
	srv, rec := recordingServer(t)
	m := externalMonitor(srv.URL + "/api/ping?x=1")
	m.Method = "POST"
	m.RequestBody = `{"ping":true}`
	m.Headers = []monitor.Header{
		{Name: "Content-Type", Value: "application/json"},
		{Name: "X-Token", Value: "secret value"},
		{Name: "x-multi", Value: "one"},
		{Name: "X-Multi", Value: "two"},
		{Name: "Host", Value: "example.test"},
	}
	got := external.Probe(context.Background(), m, probeNow, external.Options{Version: "1.2.3"})
	checkResult(t, got, "OK", "200", true)

	r := <-rec.got
	if body := <-rec.body; r.Method != "POST" || r.URL.RequestURI() != "/api/ping?x=1" || body != `{"ping":true}` {
		t.Errorf("request = %s %s %q", r.Method, r.URL.RequestURI(), body)
	}
	want := map[string][]string{
		"Content-Type":  {"application/json"},
		"X-Token":       {"secret value"},
		"X-Multi":       {"one", "two"},
		"User-Agent":    {"mackerel-http-checker/1.2.3"},
		"Cache-Control": {"no-cache"},
	}
	for name, values := range want {
		if got := r.Header.Values(name); strings.Join(got, "|") != strings.Join(values, "|") {
			t.Errorf("header %s = %q, want %q", name, got, values)
		}
	}
	if r.Host != "example.test" {
		t.Errorf("Host = %q, want example.test", r.Host)
	}
}

func TestProbeDefaultHeaders(t *testing.T) {
	tests := []struct {
		name      string
		headers   []monitor.Header
		version   string
		userAgent string
		cache     string
	}{
		{"defaults", nil, "", "mackerel-http-checker/unknown", "no-cache"},
		{"version from options", nil, "0.9.1", "mackerel-http-checker/0.9.1", "no-cache"},
		{"monitor overrides both", []monitor.Header{{Name: "user-agent", Value: "probe/2"}, {Name: "Cache-Control", Value: "max-age=0"}}, "0.9.1", "probe/2", "max-age=0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, rec := recordingServer(t)
			m := externalMonitor(srv.URL)
			m.Headers = tt.headers
			got := external.Probe(context.Background(), m, probeNow, external.Options{Version: tt.version})
			checkResult(t, got, "OK", "200", true)
			r := <-rec.got
			if ua, cc := r.Header.Values("User-Agent"), r.Header.Values("Cache-Control"); strings.Join(ua, "|") != tt.userAgent || strings.Join(cc, "|") != tt.cache {
				t.Errorf("User-Agent %q, Cache-Control %q; want %q, %q", ua, cc, tt.userAgent, tt.cache)
			}
			if r.Method != "GET" || r.ContentLength != 0 {
				t.Errorf("request = %s with %d bytes, want GET without a body", r.Method, r.ContentLength)
			}
		})
	}
}

func TestProbeTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })

	got := external.Probe(context.Background(), externalMonitor(srv.URL), probeNow, external.Options{Timeout: 50 * time.Millisecond})
	checkResult(t, got, "CRITICAL", "timeout after 50ms", false)
}

func TestProbeSlowBodyTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "first part")
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })

	got := external.Probe(context.Background(), externalMonitor(srv.URL), probeNow, external.Options{Timeout: 50 * time.Millisecond})
	checkResult(t, got, "CRITICAL", "timeout after 50ms", false)
}

func TestProbeConnectionErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedURL := "http://" + ln.Addr().String() + "/"
	ln.Close()

	notHTTP, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { notHTTP.Close() })
	go func() {
		for {
			c, err := notHTTP.Accept()
			if err != nil {
				return
			}
			// Answer only once the request (or TLS hello) arrived, so the
			// client is waiting for this garbage.
			_, _ = c.Read(make([]byte, 1))
			_, _ = io.WriteString(c, "SSH-2.0-not-http\r\n")
			c.Close()
		}
	}()

	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(silent.Close)

	tests := []struct {
		name, url, message string
	}{
		{"nothing listens", closedURL, "connection refused"},
		{"the server hangs up", silent.URL, "connection closed by the server"},
		{"the server speaks no HTTP", "http://" + notHTTP.Addr().String() + "/", `malformed HTTP response "SSH-2.0-not-http"`},
		{"TLS to a plain server", "https://" + notHTTP.Addr().String() + "/", "TLS handshake failed: the server did not answer TLS"},
		{"unsupported scheme", "ftp://example.test/", `unsupported protocol scheme "ftp"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := external.Probe(context.Background(), externalMonitor(tt.url), probeNow, external.Options{})
			checkResult(t, got, "CRITICAL", tt.message, false)
		})
	}
}

func TestProbeCanceledByCaller(t *testing.T) {
	srv := statusServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got := external.Probe(ctx, externalMonitor(srv.URL), probeNow, external.Options{})
	checkResult(t, got, "CRITICAL", "canceled", false)
}
