package backend_test

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

const (
	msgAuthFailed = "Authentication failed. Please try with valid Api Key."
	msgReadOnly   = "This API key does not have write permission."
)

// keyAuth accepts "rw" for everything and "ro" for reads, like mkr serve,
// and records what it was asked.
type keyAuth struct {
	mu    sync.Mutex
	calls []string // "METHOD path write"
}

func (a *keyAuth) authorize(r *http.Request, write bool) error {
	a.mu.Lock()
	w := "read"
	if write {
		w = "write"
	}
	a.calls = append(a.calls, r.Method+" "+r.URL.Path+" "+w)
	a.mu.Unlock()
	switch key := r.Header.Get("X-Api-Key"); {
	case key == "rw":
		return nil
	case key == "ro" && !write:
		return nil
	case key == "ro":
		return backend.AuthError(http.StatusForbidden, msgReadOnly)
	case key == "boom":
		return errors.New("key store unavailable")
	default:
		return backend.AuthError(http.StatusUnauthorized, msgAuthFailed)
	}
}

func (a *keyAuth) takeCalls() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	c := a.calls
	a.calls = nil
	return c
}

func TestAuthorize(t *testing.T) {
	t.Parallel()
	auth := &keyAuth{}
	env := backendtest.NewWithOptions(t, backendtest.Options{Backend: backend.Options{Authorize: auth.authorize}})
	id := env.MustCreateHost(t, store.NewHost{Name: "h"})

	tests := []struct {
		name      string
		key       string
		method    string
		path      string
		body      string
		status    int
		msg       string // "" for a success
		wantCalls []string
	}{
		{"unknown path before authorization", "", "GET", "/api/v0/nope", "", 404, "Not found.", nil},
		{"unknown method before authorization", "", "PATCH", "/api/v0/hosts/" + id, "{}", 404, "Not found.", nil},
		{"no key", "", "GET", "/api/v0/org", "", 401, msgAuthFailed, []string{"GET /api/v0/org read"}},
		{"bad key", "nope", "GET", "/api/v0/hosts", "", 401, msgAuthFailed, []string{"GET /api/v0/hosts read"}},
		{"auth before lookup", "", "GET", "/api/v0/hosts/unknownHost", "", 401, msgAuthFailed, []string{"GET /api/v0/hosts/unknownHost read"}},
		{"read key reads", "ro", "GET", "/api/v0/hosts/" + id, "", 200, "", []string{"GET /api/v0/hosts/" + id + " read"}},
		{"read key posts", "ro", "POST", "/api/v0/hosts", `{"name":"x"}`, 403, msgReadOnly, []string{"POST /api/v0/hosts write"}},
		{"read key puts", "ro", "PUT", "/api/v0/hosts/" + id + "/metadata/ns", `1`, 403, msgReadOnly, []string{"PUT /api/v0/hosts/" + id + "/metadata/ns write"}},
		{"read key deletes", "ro", "DELETE", "/api/v0/services/web", "", 403, msgReadOnly, []string{"DELETE /api/v0/services/web write"}},
		{"read key retires", "ro", "POST", "/api/v0/hosts/" + id + "/retire", "null", 403, msgReadOnly, []string{"POST /api/v0/hosts/" + id + "/retire write"}},
		{"hook fails", "boom", "GET", "/api/v0/org", "", 500, "Internal server error.", []string{"GET /api/v0/org read"}},
		{"write key writes", "rw", "POST", "/api/v0/services", `{"name":"web"}`, 200, "", []string{"POST /api/v0/services write"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := env.MustDump(t)
			resp := serveKey(t, env.Handler, tt.key, tt.method, tt.path, tt.body)
			if tt.msg != "" {
				wantError(t, resp, tt.status, tt.msg)
				if after := env.MustDump(t); after != before {
					t.Fatalf("refused request changed the database")
				}
			} else if resp.status != tt.status {
				t.Fatalf("status %d %s, want %d", resp.status, resp.body, tt.status)
			}
			if got := auth.takeCalls(); strings.Join(got, "\n") != strings.Join(tt.wantCalls, "\n") {
				t.Fatalf("Authorize calls = %q, want %q", got, tt.wantCalls)
			}
		})
	}
}

// mackerel-client-go sees the hook's errors as APIErrors with the status
// and message intact.
func TestAuthorizeThroughGoClient(t *testing.T) {
	t.Parallel()
	auth := &keyAuth{}
	env := backendtest.NewWithOptions(t, backendtest.Options{Backend: backend.Options{Authorize: auth.authorize}})
	srv := env.NewServer(t)
	client := func(key string) *mackerel.Client {
		mc, err := mackerel.NewClientWithOptions(key, srv.URL, false)
		if err != nil {
			t.Fatal(err)
		}
		return mc
	}

	_, err := client("nope").GetOrg()
	wantAPIError(t, err, 401, msgAuthFailed)
	_, err = client("ro").CreateService(&mackerel.CreateServiceParam{Name: "web"})
	wantAPIError(t, err, 403, msgReadOnly)
	if _, err := client("ro").FindServices(); err != nil {
		t.Fatalf("read key listing services: %v", err)
	}
	svc, err := client("rw").CreateService(&mackerel.CreateServiceParam{Name: "web"})
	if err != nil || svc.Name != "web" {
		t.Fatalf("write key creating a service = %+v, %v", svc, err)
	}
}
