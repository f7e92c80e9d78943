package notify_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

// receiver is a webhook (or Slack) endpoint on loopback that records what
// it is sent and answers with a settable status, optionally slowly.
type receiver struct {
	*httptest.Server
	mu      sync.Mutex
	got     []received
	status  atomic.Int32
	stall   atomic.Bool   // hold requests until release closes (a timeout)
	release chan struct{} // closed when the test ends
}

type received struct {
	Header http.Header
	Body   map[string]any
	Raw    string
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{release: make(chan struct{})}
	r.status.Store(http.StatusOK)
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		raw, _ := io.ReadAll(req.Body)
		var body map[string]any
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Errorf("receiver: body is not a JSON object: %q", raw)
		}
		r.mu.Lock()
		r.got = append(r.got, received{Header: req.Header.Clone(), Body: body, Raw: string(raw)})
		r.mu.Unlock()
		if r.stall.Load() {
			select {
			case <-r.release:
			case <-req.Context().Done():
			}
			return
		}
		w.WriteHeader(int(r.status.Load()))
		io.WriteString(w, "answer "+http.StatusText(int(r.status.Load())))
	}))
	t.Cleanup(func() {
		close(r.release)
		r.Close()
	})
	return r
}

func (r *receiver) received() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// api sends a request to the backend's handler and returns the body,
// failing the test unless the status is want.
func api(t *testing.T, env *backendtest.Env, method, path, body string, want int) []byte {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	env.Handler.ServeHTTP(w, req)
	if w.Code != want {
		t.Fatalf("%s %s = %d %s, want %d", method, path, w.Code, w.Body, want)
	}
	return w.Body.Bytes()
}

// createChannel creates a channel from its JSON and returns its id.
func createChannel(t *testing.T, env *backendtest.Env, body string) string {
	t.Helper()
	var out struct{ ID string }
	if err := json.Unmarshal(api(t, env, "POST", "/api/v0/channels", body, 200), &out); err != nil || out.ID == "" {
		t.Fatalf("creating a channel: %v", err)
	}
	return out.ID
}

// report applies one check report through the engine, as an agent's post
// would, and returns nothing: the outbox records the change.
func report(t *testing.T, env *backendtest.Env, hostID, name, status, message string) {
	t.Helper()
	_, err := env.Engine.ApplyCheckReports(context.Background(), []store.CheckReport{{
		HostID: hostID, Name: name, Status: status, Message: message, OccurredAt: env.Clock.Now().Unix(), MaxCheckAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
}

func deliveries(t *testing.T, st store.Store) []*store.Delivery {
	t.Helper()
	ds, err := st.ListDeliveries(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func mustRunOnce(t *testing.T, run func(context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := run(ctx); err != nil {
		t.Fatal(err)
	}
}

// field reads a path of keys in a decoded JSON object.
func field(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
