package backend_test

import (
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/promremote"
	"github.com/mkr-dev/mkr/backend/store"
)

// TestIngestAdmission: while every turn is taken and no place to wait is
// left, a metric post is answered 503 at once with Retry-After and the
// store unchanged; once the turn is given back, posts are stored again.
// The turn is held by a post whose body (of unannounced length, so it is
// streamed, not read before its turn) is still arriving.
func TestIngestAdmission(t *testing.T) {
	env := backendtest.New(t)
	backend.SetIngestGate(env.Backend, 1, 0)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	now := env.Clock.Now().Unix()
	point := func(name string) string {
		return fmt.Sprintf(`{"hostId":%q,"name":%q,"time":%d,"value":1}`, h, name, now)
	}

	finishSlow := holdIngestTurn(t, env, "/api/v0/tsdb", "["+point("custom.slow"))

	before := env.MustDump(t)
	req := httptest.NewRequest("POST", "/api/v0/tsdb", strings.NewReader("["+point("custom.refused")+"]"))
	rec := httptest.NewRecorder()
	env.Handler.ServeHTTP(rec, req)
	wantBody := `{"error":{"message":"Too many metric posts in progress; retry after 5 seconds."}}`
	if rec.Code != 503 || strings.TrimSpace(rec.Body.String()) != wantBody || rec.Header().Get("Retry-After") != "5" {
		t.Fatalf("POST while busy: %d %s (Retry-After %q), want 503 %s (Retry-After 5)",
			rec.Code, rec.Body, rec.Header().Get("Retry-After"), wantBody)
	}
	if after := env.MustDump(t); after != before {
		t.Fatalf("a refused post changed the store:\n%s", after)
	}

	if slowRec := finishSlow("]"); slowRec.Code != 200 {
		t.Fatalf("slow POST: %d %s", slowRec.Code, slowRec.Body)
	}
	status, got := tsDo(env.Handler, "POST", "/api/v0/tsdb", "["+point("custom.later")+"]")
	if status != 200 {
		t.Fatalf("POST after the turn was given back: %d %s", status, got)
	}
	for name, want := range map[string]int{"custom.slow": 1, "custom.refused": 0, "custom.later": 1} {
		pts, err := env.Store.Points(t.Context(), store.HostSeries(h, name), 0, now)
		if _, missing := store.IsKind(err, store.KindNotFound); want == 0 && missing {
			continue // never posted: no series
		}
		if err != nil || len(pts) != want {
			t.Errorf("%s: %d points (%v), want %d", name, len(pts), err, want)
		}
	}
}

// Prometheus' remote write takes its turns from the same gate: refused
// with 503 and Retry-After while a metric post holds the only turn.
func TestPromWriteAdmission(t *testing.T) {
	env := backendtest.New(t)
	backend.SetIngestGate(env.Backend, 1, 0)
	env.MustCreateService(t, "web")
	finishSlow := holdIngestTurn(t, env, "/api/v0/services/web/tsdb", "[")
	body := promBody(promSeries("g", []string{"mackerel_service=web"}, promremote.Sample{Value: 1, Timestamp: promNow}))
	before := env.MustDump(t)
	if rec := promPost(env.Handler, "/api/v1/write", body, nil); rec.Code != 503 || rec.Header().Get("Retry-After") != "5" {
		t.Fatalf("remote write while busy: %d %s (Retry-After %q), want 503 (Retry-After 5)", rec.Code, rec.Body, rec.Header().Get("Retry-After"))
	}
	if after := env.MustDump(t); after != before {
		t.Fatalf("a refused remote write changed the store:\n%s", after)
	}
	finishSlow("]")
	if rec := promPost(env.Handler, "/api/v1/write", body, nil); rec.Code != 204 {
		t.Fatalf("remote write after the turn was given back: %d %s", rec.Code, rec.Body)
	}
}

// holdIngestTurn starts a metric post to path whose body (of unannounced
// length, so it is streamed, not read before its turn) begins with start
// and is still arriving: it holds a turn of the gate. finish sends the
// rest of the body and returns the post's answer.
func holdIngestTurn(t *testing.T, env *backendtest.Env, path, start string) (finish func(rest string) *httptest.ResponseRecorder) {
	t.Helper()
	pr, pw := io.Pipe()
	slow := httptest.NewRequest("POST", path, pr)
	slow.ContentLength = -1
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		env.Handler.ServeHTTP(rec, slow)
	}()
	if _, err := io.WriteString(pw, start); err != nil {
		t.Fatal(err) // the handler reads: it holds the turn now
	}
	return func(rest string) *httptest.ResponseRecorder {
		io.WriteString(pw, rest)
		pw.Close()
		<-done
		return rec
	}
}
