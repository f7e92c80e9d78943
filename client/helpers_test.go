package client_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
	"github.com/mkr-dev/mkr/client"
)

// testKey is the API key every test client sends; no output may contain it.
const testKey = "k3y-DO-NOT-LEAK-9f8e7d"

// openStore opens a fresh SQLite store in the test's temp dir.
func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), store.Options{})
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// newBackendClient returns a client talking in-process to the real backend
// over a fresh database, and that database.
func newBackendClient(t *testing.T) (*client.Client, *sqlite.Store) {
	t.Helper()
	st := openStore(t)
	c, err := client.New(client.Options{
		BaseURL:   "http://mkr.test",
		APIKey:    testKey,
		UserAgent: "mkr/test",
		Transport: client.NewInProcessTransport(backend.New(st, backend.Options{}).Handler()),
	})
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	return c, st
}

// seenRequest is what a fake server recorded about one request.
type seenRequest struct {
	Method     string
	Path       string // decoded
	EscapedURI string // request-target as it came on the wire
	Query      string
	Header     http.Header
	Body       string
}

// fakeServer is an httptest server that records every request and answers
// with a scripted handler (given the 1-based attempt number).
type fakeServer struct {
	*httptest.Server
	mu   sync.Mutex
	seen []seenRequest
}

func newFakeServer(t *testing.T, answer func(w http.ResponseWriter, r *http.Request, n int)) *fakeServer {
	t.Helper()
	fs := &fakeServer{}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fs.mu.Lock()
		fs.seen = append(fs.seen, seenRequest{
			Method: r.Method, Path: r.URL.Path, EscapedURI: r.RequestURI, Query: r.URL.RawQuery,
			Header: r.Header.Clone(), Body: string(body),
		})
		n := len(fs.seen)
		fs.mu.Unlock()
		answer(w, r, n)
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *fakeServer) requests() []seenRequest {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]seenRequest(nil), fs.seen...)
}

// jsonAnswer writes a fixed JSON answer.
func jsonAnswer(status int, body string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// sleepRecorder replaces RetryPolicy.Sleep: it records each wait and returns
// at once.
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepRecorder) sleep(done <-chan struct{}, d time.Duration) bool {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	select {
	case <-done:
		return false
	default:
		return true
	}
}

func (s *sleepRecorder) recorded() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// newTestClient builds a client for baseURL with a recording Sleep.
func newTestClient(t *testing.T, baseURL string, mod func(*client.Options)) (*client.Client, *sleepRecorder) {
	t.Helper()
	rec := &sleepRecorder{}
	opts := client.Options{
		BaseURL:   baseURL,
		APIKey:    testKey,
		UserAgent: "mkr/9.9.9",
		// A transport of our own: no connection reuse between tests, and no
		// transparent transport-level retries on reused connections.
		Transport: &http.Transport{DisableKeepAlives: true},
		Retry:     client.RetryPolicy{MinWait: 100 * time.Millisecond, MaxWait: 30 * time.Second, Sleep: rec.sleep},
	}
	if mod != nil {
		mod(&opts)
	}
	c, err := client.New(opts)
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	return c, rec
}

// countingTransport counts round trips before delegating.
type countingTransport struct {
	mu   sync.Mutex
	n    int
	next http.RoundTripper
}

func (ct *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ct.mu.Lock()
	ct.n++
	ct.mu.Unlock()
	return ct.next.RoundTrip(r)
}

func (ct *countingTransport) count() int {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	return ct.n
}
