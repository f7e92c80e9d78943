package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/client"
)

// inRange reports whether d lies in [lo, hi].
func inRange(d, lo, hi time.Duration) bool { return d >= lo && d <= hi }

func TestRetryIdempotentCalls(t *testing.T) {
	ctx := context.Background()
	calls := []struct {
		name     string
		method   string
		path     string
		response string
		call     func(*client.Client) error
	}{
		{"GET", "GET", "/api/v0/org", `{"name":"acme"}`, func(c *client.Client) error {
			org, err := c.GetOrg(ctx)
			if err == nil && org.Name != "acme" {
				return fmt.Errorf("org = %+v", org)
			}
			return err
		}},
		{"PUT", "PUT", "/api/v0/hosts/h1", `{"id":"h1"}`, func(c *client.Client) error {
			id, err := c.UpdateHost(ctx, "h1", &client.UpdateHostParam{Name: "web01"})
			if err == nil && id != "h1" {
				return fmt.Errorf("id = %q", id)
			}
			return err
		}},
		{"DELETE", "DELETE", "/api/v0/services/svc", `{"name":"svc","memo":"","roles":[]}`, func(c *client.Client) error {
			svc, err := c.DeleteService(ctx, "svc")
			if err == nil && svc.Name != "svc" {
				return fmt.Errorf("service = %+v", svc)
			}
			return err
		}},
		{"POST status (idempotent)", "POST", "/api/v0/hosts/h1/status", `{"success":true}`, func(c *client.Client) error {
			return c.UpdateHostStatus(ctx, "h1", client.HostStatusStandby)
		}},
		{"POST bulk status (idempotent)", "POST", "/api/v0/hosts/bulk-update-statuses", `{"success":true}`, func(c *client.Client) error {
			return c.BulkUpdateHostStatuses(ctx, []string{"h1", "h2"}, client.HostStatusMaintenance)
		}},
	}
	for _, tc := range calls {
		t.Run(tc.name, func(t *testing.T) {
			// 503, 429, 500, then success: every transient status once.
			script := []int{503, 429, 500}
			srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n <= len(script) {
					jsonAnswer(script[n-1], fmt.Sprintf(`{"error":{"message":"transient %d"}}`, n))(w, r, n)
					return
				}
				jsonAnswer(200, tc.response)(w, r, n)
			})
			c, rec := newTestClient(t, srv.URL, nil)
			if err := tc.call(c); err != nil {
				t.Fatalf("call failed after retries: %v", err)
			}
			reqs := srv.requests()
			if len(reqs) != 4 {
				t.Fatalf("server saw %d attempts, want 4", len(reqs))
			}
			for i, r := range reqs {
				if r.Method != tc.method || r.Path != tc.path {
					t.Errorf("attempt %d = %s %s, want %s %s", i+1, r.Method, r.Path, tc.method, tc.path)
				}
				if r.Body != reqs[0].Body {
					t.Errorf("attempt %d body %q differs from the first %q", i+1, r.Body, reqs[0].Body)
				}
				if r.Header.Get("X-Api-Key") != testKey {
					t.Errorf("attempt %d lost the API key", i+1)
				}
			}
			if tc.method != "GET" && tc.method != "DELETE" && reqs[0].Body == "" {
				t.Errorf("%s sent no body", tc.method)
			}
			// MinWait 100ms, doubling, jitter in the upper half.
			waits := rec.recorded()
			bounds := [][2]time.Duration{{50 * time.Millisecond, 100 * time.Millisecond}, {100 * time.Millisecond, 200 * time.Millisecond}, {200 * time.Millisecond, 400 * time.Millisecond}}
			if len(waits) != len(bounds) {
				t.Fatalf("waits = %v, want %d", waits, len(bounds))
			}
			for i, b := range bounds {
				if !inRange(waits[i], b[0], b[1]) {
					t.Errorf("wait %d = %v, want in [%v, %v]", i+1, waits[i], b[0], b[1])
				}
			}
		})
	}
}

func TestRetryGivesUpWithLastError(t *testing.T) {
	for _, tc := range []struct {
		maxRetries int
		attempts   int
	}{{0, 4}, {1, 2}, {5, 6}, {-1, 1}} {
		t.Run(fmt.Sprintf("MaxRetries=%d", tc.maxRetries), func(t *testing.T) {
			srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				jsonAnswer(502, fmt.Sprintf(`{"error":{"message":"bad gateway #%d"}}`, n))(w, r, n)
			})
			c, rec := newTestClient(t, srv.URL, func(o *client.Options) { o.Retry.MaxRetries = tc.maxRetries })
			_, err := c.FindHosts(context.Background(), client.FindHostsParam{})
			var apiErr *client.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error = %v, want *APIError", err)
			}
			want := fmt.Sprintf("bad gateway #%d", tc.attempts)
			if apiErr.StatusCode != 502 || apiErr.Message != want {
				t.Errorf("APIError = {%d %q}, want {502 %q}", apiErr.StatusCode, apiErr.Message, want)
			}
			if n := len(srv.requests()); n != tc.attempts {
				t.Errorf("attempts = %d, want %d", n, tc.attempts)
			}
			if n := len(rec.recorded()); n != tc.attempts-1 {
				t.Errorf("waits = %d, want %d", n, tc.attempts-1)
			}
		})
	}
}

func TestNoRetryOnOther4xx(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 405, 409, 413, 422} {
		for _, method := range []string{"GET", "PUT"} {
			t.Run(fmt.Sprintf("%s %d", method, status), func(t *testing.T) {
				srv := newFakeServer(t, jsonAnswer(status, `{"error":{"message":"client error"}}`))
				c, rec := newTestClient(t, srv.URL, nil)
				var err error
				if method == "GET" {
					_, err = c.FindHost(context.Background(), "h1")
				} else {
					err = c.PutMetadata(context.Background(), client.MetadataTarget{HostID: "h1"}, "ns", json.RawMessage(`{}`))
				}
				if client.StatusCode(err) != status {
					t.Errorf("error = %v, want status %d", err, status)
				}
				if n := len(srv.requests()); n != 1 || len(rec.recorded()) != 0 {
					t.Errorf("%d was retried: %d attempts, waits %v", status, n, rec.recorded())
				}
			})
		}
	}
}

func TestNonIdempotentPostNotRetried(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(*client.Client) error{
		"CreateHost": func(c *client.Client) error {
			_, err := c.CreateHost(ctx, &client.CreateHostParam{Name: "web01"})
			return err
		},
		"RetireHost":      func(c *client.Client) error { return c.RetireHost(ctx, "h1") },
		"BulkRetireHosts": func(c *client.Client) error { return c.BulkRetireHosts(ctx, []string{"h1"}) },
		"CreateService": func(c *client.Client) error {
			_, err := c.CreateService(ctx, "svc", "")
			return err
		},
		"CreateRole": func(c *client.Client) error {
			_, err := c.CreateRole(ctx, "svc", "web", "")
			return err
		},
	}
	for name, call := range calls {
		for _, status := range []int{500, 502, 503, 504} {
			t.Run(fmt.Sprintf("%s %d", name, status), func(t *testing.T) {
				srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
					w.Header().Set("Retry-After", "1")
					jsonAnswer(status, `{"error":{"message":"try later"}}`)(w, r, n)
				})
				c, rec := newTestClient(t, srv.URL, nil)
				err := call(c)
				if client.StatusCode(err) != status || err.Error() != "API request failed: try later" {
					t.Errorf("error = %v, want %d try later", err, status)
				}
				reqs := srv.requests()
				if len(reqs) != 1 || len(rec.recorded()) != 0 {
					t.Errorf("%s was retried on %d: %d attempts, waits %v", name, status, len(reqs), rec.recorded())
				}
				if reqs[0].Method != http.MethodPost {
					t.Errorf("method = %s, want POST", reqs[0].Method)
				}
			})
		}
	}
}

// dropFirst answers by closing the connection without a response for the
// first n attempts, then with body.
func dropFirst(n int, body string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, r *http.Request, attempt int) {
		if attempt <= n {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				panic(err)
			}
			conn.Close()
			return
		}
		jsonAnswer(200, body)(w, r, attempt)
	}
}

func TestRetryNetworkErrors(t *testing.T) {
	srv := newFakeServer(t, dropFirst(2, `{"name":"acme"}`))
	c, rec := newTestClient(t, srv.URL, nil)
	org, err := c.GetOrg(context.Background())
	if err != nil {
		t.Fatalf("GetOrg after two dropped connections: %v", err)
	}
	if org.Name != "acme" {
		t.Errorf("org = %+v", org)
	}
	if n := len(srv.requests()); n != 3 {
		t.Errorf("attempts = %d, want 3", n)
	}
	if n := len(rec.recorded()); n != 2 {
		t.Errorf("waits = %d, want 2", n)
	}

	// The same fault on CreateHost (not idempotent) is reported, not retried.
	srv2 := newFakeServer(t, dropFirst(1, `{"id":"x"}`))
	c2, rec2 := newTestClient(t, srv2.URL, nil)
	id, err := c2.CreateHost(context.Background(), &client.CreateHostParam{Name: "web01"})
	if err == nil || id != "" {
		t.Fatalf("CreateHost over a dropped connection = %q, %v; want an error", id, err)
	}
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		t.Errorf("a network error became an APIError: %v", err)
	}
	if n := len(srv2.requests()); n != 1 || len(rec2.recorded()) != 0 {
		t.Errorf("CreateHost was retried after a network error: %d attempts, waits %v", n, rec2.recorded())
	}
}

func TestRetryConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more

	for _, tc := range []struct {
		name     string
		attempts int
		call     func(*client.Client) error
	}{
		{"GET retried", 4, func(c *client.Client) error { _, err := c.GetOrg(context.Background()); return err }},
		{"idempotent POST retried", 4, func(c *client.Client) error {
			return c.UpdateHostStatus(context.Background(), "h1", client.HostStatusWorking)
		}},
		{"CreateHost not retried", 1, func(c *client.Client) error {
			_, err := c.CreateHost(context.Background(), &client.CreateHostParam{Name: "x"})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ct := &countingTransport{next: &http.Transport{DisableKeepAlives: true}}
			c, rec := newTestClient(t, "http://"+addr, func(o *client.Options) { o.Transport = ct })
			err := tc.call(c)
			var opErr *net.OpError
			if !errors.As(err, &opErr) {
				t.Errorf("error = %v (%T), want a *net.OpError in the chain", err, err)
			}
			if ct.count() != tc.attempts || len(rec.recorded()) != tc.attempts-1 {
				t.Errorf("round trips = %d, waits = %d; want %d and %d", ct.count(), len(rec.recorded()), tc.attempts, tc.attempts-1)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header func() string
		lo, hi time.Duration
	}{
		{"seconds on 429", 429, func() string { return "7" }, 7 * time.Second, 7 * time.Second},
		{"seconds on 503", 503, func() string { return "2" }, 2 * time.Second, 2 * time.Second},
		{"zero seconds", 429, func() string { return "0" }, 0, 0},
		{"capped by MaxWait", 429, func() string { return "3600" }, 30 * time.Second, 30 * time.Second},
		{"http date", 503, func() string { return time.Now().Add(20 * time.Second).UTC().Format(http.TimeFormat) }, 18 * time.Second, 20 * time.Second},
		{"http date far ahead is capped", 429, func() string { return time.Now().Add(2 * time.Hour).UTC().Format(http.TimeFormat) }, 30 * time.Second, 30 * time.Second},
		{"http date in the past", 503, func() string { return time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat) }, 0, 0},
		{"garbage falls back to backoff", 503, func() string { return "soon" }, 50 * time.Millisecond, 100 * time.Millisecond},
		{"negative falls back to backoff", 429, func() string { return "-5" }, 50 * time.Millisecond, 100 * time.Millisecond},
		{"fractional falls back to backoff", 429, func() string { return "1.5" }, 50 * time.Millisecond, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					w.Header().Set("Retry-After", tt.header())
					jsonAnswer(tt.status, `{"error":{"message":"slow down"}}`)(w, r, n)
					return
				}
				jsonAnswer(200, `{"name":"acme"}`)(w, r, n)
			})
			c, rec := newTestClient(t, srv.URL, nil)
			if _, err := c.GetOrg(context.Background()); err != nil {
				t.Fatal(err)
			}
			waits := rec.recorded()
			if len(waits) != 1 || !inRange(waits[0], tt.lo, tt.hi) {
				t.Errorf("waits = %v, want one in [%v, %v]", waits, tt.lo, tt.hi)
			}
			if n := len(srv.requests()); n != 2 {
				t.Errorf("attempts = %d, want 2", n)
			}
		})
	}
}

func TestBackoffIsCappedAndJittered(t *testing.T) {
	srv := newFakeServer(t, jsonAnswer(503, `{"error":{"message":"down"}}`))
	c, rec := newTestClient(t, srv.URL, func(o *client.Options) {
		o.Retry.MaxRetries = 6
		o.Retry.MinWait = 100 * time.Millisecond
		o.Retry.MaxWait = 300 * time.Millisecond
	})
	if _, err := c.GetOrg(context.Background()); client.StatusCode(err) != 503 {
		t.Fatalf("error = %v, want 503", err)
	}
	ms := time.Millisecond
	bounds := [][2]time.Duration{{50 * ms, 100 * ms}, {100 * ms, 200 * ms}, {150 * ms, 300 * ms}, {150 * ms, 300 * ms}, {150 * ms, 300 * ms}, {150 * ms, 300 * ms}}
	waits := rec.recorded()
	if len(waits) != len(bounds) {
		t.Fatalf("waits = %v, want %d", waits, len(bounds))
	}
	for i, b := range bounds {
		if !inRange(waits[i], b[0], b[1]) {
			t.Errorf("wait %d = %v, want in [%v, %v]", i+1, waits[i], b[0], b[1])
		}
	}

	// Jitter: the first wait of many independent requests varies.
	srv2 := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n%2 == 1 {
			jsonAnswer(503, `{}`)(w, r, n)
			return
		}
		jsonAnswer(200, `{"name":"acme"}`)(w, r, n)
	})
	c2, rec2 := newTestClient(t, srv2.URL, nil)
	for range 20 {
		if _, err := c2.GetOrg(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	distinct := map[time.Duration]bool{}
	for _, w := range rec2.recorded() {
		if !inRange(w, 50*ms, 100*ms) {
			t.Errorf("first wait %v outside [50ms, 100ms]", w)
		}
		distinct[w] = true
	}
	if len(rec2.recorded()) != 20 || len(distinct) < 10 {
		t.Errorf("%d waits with %d distinct values: no jitter", len(rec2.recorded()), len(distinct))
	}
}
