package backend_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

// ingestBody is a tsdb POST of n points over 100 series of host, as
// upstream mkr's throw sends its whole input in one request, with extra
// appended as the last element.
func ingestBody(host string, n int, now int64, extra string) string {
	var sb strings.Builder
	sb.WriteByte('[')
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"hostId":%q,"name":"custom.big.m%d","time":%d,"value":%d.25}`, host, i%100, now-int64(i/100), i)
	}
	if extra != "" {
		sb.WriteString("," + extra)
	}
	sb.WriteByte(']')
	return sb.String()
}

// TestIngestLargeBody: one POST larger than the general body cap (here
// 1 MiB; upstream throw sends its whole input in one request) is accepted
// whole — its spool, past 1 MiB in memory, passes through a temporary file
// — and every point reads back. 60,000 points: enough for both, and half
// the time of a larger body under -race.
func TestIngestLargeBody(t *testing.T) {
	env := backendtest.NewWithOptions(t, backendtest.Options{Backend: backend.Options{MaxBodyBytes: 1 << 20}})
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	now := env.Clock.Now().Unix()
	const n = 60_000
	body := ingestBody(h, n, now, "")
	if len(body) <= 1<<20 || n*20 <= 1<<20 {
		t.Fatalf("body of %d bytes, spool of %d: want both past 1 MiB", len(body), n*20)
	}
	status, got := tsDo(env.Handler, "POST", "/api/v0/tsdb", body)
	if want := fmt.Sprintf(`{"success":true,"stored":%d,"refused":{"tooOld":0,"retiredHost":0}}`, n); status != 200 || got != want {
		t.Fatalf("POST: %d %s, want 200 %s", status, got, want)
	}
	if c, err := env.Store.CountPoints(context.Background()); err != nil || c != n {
		t.Fatalf("CountPoints = %d, %v; want %d", c, err, n)
	}
	pts, err := env.Store.Points(context.Background(), store.HostSeries(h, "custom.big.m7"), 0, now)
	if err != nil || len(pts) != n/100 || pts[len(pts)-1] != (store.Point{Time: now, Value: 7.25}) || pts[0] != (store.Point{Time: now - n/100 + 1, Value: n - 100 + 7.25}) {
		t.Fatalf("custom.big.m7: %d points (%v … %v), %v", len(pts), pts[:1], pts[len(pts)-1:], err)
	}
}

// TestIngestBadPointAtTheEnd: a bad point after 60,000 good ones is a 400
// naming it, and nothing at all is stored; a syntax error after it still
// wins, as when the whole body was decoded first.
func TestIngestBadPointAtTheEnd(t *testing.T) {
	env := backendtest.New(t)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	now := env.Clock.Now().Unix()
	const n = 60_000
	before := env.MustDump(t)
	tests := []struct {
		name, extra string
		status      int
		msg         string
	}{
		{"invalid name", `{"hostId":"` + h + `","name":"bad name","time":1,"value":1}`, 400,
			fmt.Sprintf(`Point %d: invalid metric name "bad name": use A-Z a-z 0-9 . _ - (at most 255 characters).`, n)},
		{"unknown host", `{"hostId":"nohost","name":"custom.x","time":1,"value":1}`, 404, "Host Not Found."},
		{"type error after an invalid point", `{"hostId":"","name":"x","time":1,"value":1},{"hostId":"` + h + `","name":"x","time":1,"value":"1"}`, 400,
			"Invalid JSON: value must be a number, not string"},
		{"syntax error after a type error", `{"name":"x","time":"1","value":1},{"name":}`, 400,
			"Invalid JSON: invalid character '}' looking for beginning of value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, got := tsDo(env.Handler, "POST", "/api/v0/tsdb", ingestBody(h, n, now, tt.extra))
			if status != tt.status || got != tsErrorBody(tt.msg) {
				t.Errorf("POST: %d %s\nwant %d %s", status, got, tt.status, tsErrorBody(tt.msg))
			}
			if after := env.MustDump(t); after != before {
				t.Errorf("a refused post changed the store")
			}
		})
	}
}

// TestIngestShapes: elements the fast path declines (escapes, other key
// case, unknown keys, non-ASCII) are decoded by encoding/json's rules, and
// both paths agree on numbers and on repeated keys (the last wins).
func TestIngestShapes(t *testing.T) {
	env := backendtest.New(t)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	now := env.Clock.Now().Unix()
	body := fmt.Sprintf(` [
		{"hostId":%[1]q,"name":"custom.s.a","time":%[2]d,"value":1e2},
		{"name":"custom.s.b", "value" : -0.5E+1 , "time":%[2]d.9, "hostId":%[1]q},
		{"hostId":%[1]q,"name":"custom.s.\u0063","time":%[2]d,"value":3},
		{"HostId":%[1]q,"NAME":"custom.s.d","Time":%[2]d,"VALUE":4},
		{"hostId":%[1]q,"name":"custom.s.e","time":%[2]d,"value":5,"unit":"x","tags":{"a":[1]}},
		{"hostId":%[1]q,"name":"custom.s.f","time":%[2]d,"value":null,"value":6},
		{"hostId":%[1]q,"name":"custom.s.g","time":%[2]d,"value":12345678901234567890},
		{"hostId":%[1]q,"name":"custom.s.h","time":%[2]d,"value":0.1}
	] `, h, now-60)
	status, got := tsDo(env.Handler, "POST", "/api/v0/tsdb", body)
	if status != 200 || got != `{"success":true,"stored":8,"refused":{"tooOld":0,"retiredHost":0}}` {
		t.Fatalf("POST: %d %s", status, got)
	}
	want := map[string]float64{"a": 100, "b": -5, "c": 3, "d": 4, "e": 5, "f": 6, "g": 12345678901234567890, "h": 0.1}
	for name, v := range want {
		pts, err := env.Store.Points(context.Background(), store.HostSeries(h, "custom.s."+name), 0, now)
		if err != nil || len(pts) != 1 || pts[0] != (store.Point{Time: now - 60, Value: v}) {
			t.Errorf("custom.s.%s = %v, %v; want {%d %v}", name, pts, err, now-60, v)
		}
	}
}

// TestIngestTopLevel: what is not an array of points.
func TestIngestTopLevel(t *testing.T) {
	f := tsNewFixture(t, backend.Options{})
	tsRunBad(t, f, []tsBadCase{
		{"a string", "POST", "/api/v0/tsdb", `"x"`, 400, "Invalid JSON: expected an array, not string"},
		{"a number", "POST", "/api/v0/tsdb", ` 12 `, 400, "Invalid JSON: expected an array, not number"},
		{"a broken object", "POST", "/api/v0/tsdb", `{"a":[1,2}`, 400, "Invalid JSON: invalid character '}' after array element"},
		{"an element not an object", "POST", "/api/v0/tsdb", `[1]`, 400, "Invalid JSON: expected an object, not number"},
		{"missing comma", "POST", "/api/v0/tsdb", `[{} {}]`, 400, "Invalid JSON: invalid character '{' after array element"},
		{"two arrays", "POST", "/api/v0/tsdb", `[][]`, 400, "Invalid JSON: unexpected data after the top-level value"},
		{"service: unknown, empty body", "POST", "/api/v0/services/nosvc/tsdb", ``, 404, "Service not found."},
	})
	for _, body := range []string{"", "null", " [ ] "} {
		if status, got := tsDo(f.env.Handler, "POST", "/api/v0/tsdb", body); status != 200 || got != `{"success":true,"stored":0,"refused":{"tooOld":0,"retiredHost":0}}` {
			t.Errorf("POST %q: %d %s", body, status, got)
		}
	}
}

// TestIngestSlowBodyHoldsNoWriter: while one client trickles its body,
// another post is stored and answered: the first holds a spool, not the
// database's writer.
func TestIngestSlowBodyHoldsNoWriter(t *testing.T) {
	env := backendtest.New(t)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	now := env.Clock.Now().Unix()
	pr, pw := io.Pipe()
	slow := make(chan *httptest.ResponseRecorder, 1)
	go func() {
		req := httptest.NewRequest("POST", "/api/v0/tsdb", pr)
		rec := httptest.NewRecorder()
		env.Handler.ServeHTTP(rec, req)
		slow <- rec
	}()
	fmt.Fprintf(pw, `[{"hostId":%q,"name":"custom.slow","time":%d,"value":1},`, h, now)
	done := make(chan int, 1)
	go func() {
		status, _ := tsDo(env.Handler, "POST", "/api/v0/tsdb", fmt.Sprintf(`[{"hostId":%q,"name":"custom.fast","time":%d,"value":2}]`, h, now))
		done <- status
	}()
	select {
	case status := <-done:
		if status != 200 {
			t.Fatalf("fast post: %d", status)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a post waited for another client's unfinished body")
	}
	fmt.Fprintf(pw, `{"hostId":%q,"name":"custom.slow","time":%d,"value":3}]`, h, now-60)
	pw.Close()
	if rec := <-slow; rec.Code != http.StatusOK {
		t.Fatalf("slow post: %d %s", rec.Code, rec.Body)
	}
	if c, _ := env.Store.CountPoints(context.Background()); c != 3 {
		t.Errorf("CountPoints = %d, want 3", c)
	}
}
