package reliability_test

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/auth"
	"github.com/mkr-dev/mkr/backend/backendtest"
)

// The refusals' messages are part of the wire contract (clients show them).
const (
	msgAuthFailed    = "Authentication failed. Please try with valid Api Key."
	msgReadOnly      = "This API key does not have write permission."
	msgForeignHost   = "Requests without an API key must name a loopback host (Host: localhost, 127.0.0.1 or [::1])."
	msgForeignOrigin = "Requests without an API key are refused from a web page of another origin."
	msgNotJSON       = "Requests that write must have Content-Type: application/json."
	msgNotFound      = "Not found."
)

// TestAuthMatrix sends every registered route's request (routeTable) as
// every kind of caller:
//
//   - to an anonymous loopback server (auth.Config{Anonymous: true}, no key
//     yet): from a foreign Host (DNS rebinding) and a foreign Origin (a web
//     page) 403, as text/plain 415 on a write and the route's answer on a
//     read;
//   - then, once keys exist, to the same anonymous server without a key
//     (401: a key turns anonymous access off), and to a keyed server
//     (auth.Config{}) with no key, a wrong key and a revoked key (401), a
//     read-only key (403 on a write, the route's answer on a read) and a
//     valid key (the route's answer).
//
// Every refusal has Mackerel's error body and leaves the database exactly
// as it was. The one request meant to succeed goes last, so each route's
// refusals all meet the untouched fixture.
func TestAuthMatrix(t *testing.T) {
	t.Parallel()
	fx := mustFixture(t)
	for _, pattern := range slices.Sorted(maps.Keys(routeTable)) {
		row := routeTable[pattern]
		method, _, _ := strings.Cut(pattern, " ")
		t.Run(pattern, func(t *testing.T) {
			t.Parallel()
			m := newMatrixEnv(t, fx)
			write := method != http.MethodGet
			want := row.want
			if want == 0 {
				want = http.StatusOK
			}
			req := func() *http.Request {
				r := newRequest(method, fx.expand(row.path), "", []byte(fx.expand(row.body)))
				if write {
					r.Header.Set("Content-Type", "application/json")
				}
				return r
			}
			if row.public {
				m.publicCases(req, want)
				return
			}
			m.anonymousCases(req, write, want)
			m.keyedCases(req, write, want, row.external)
		})
	}
}

// TestAuthMatrixUnknownRoutes: a path or method no route has is a 404
// before authorization, whoever asks, and changes nothing.
func TestAuthMatrixUnknownRoutes(t *testing.T) {
	t.Parallel()
	fx := mustFixture(t)
	for _, tt := range []struct{ method, path string }{
		{"GET", "/api/v0/nope"},
		{"POST", "/api/v1/hosts"},
		{"PATCH", "/api/v0/hosts/{host}"},
		{"DELETE", "/api/v0/hosts/{host}"},
		{"POST", "/api/v0/org"},
	} {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			t.Parallel()
			m := newMatrixEnv(t, fx)
			req := func() *http.Request {
				return newRequest(tt.method, fx.expand(tt.path), "text/plain", []byte("{}"))
			}
			foreign := func() *http.Request { r := req(); r.Host = "evil.example"; return r }
			m.refused("anonymous, foreign Host", m.anonymous, foreign(), http.StatusNotFound, msgNotFound)
			m.createKeys()
			for name, key := range map[string]string{"no key": "", "wrong key": "mkr_wrong", "read-only key": m.roKey, "valid key": m.rwKey} {
				r := req()
				if key != "" {
					r.Header.Set("X-Api-Key", key)
				}
				m.refused(name, m.keyed, r, http.StatusNotFound, msgNotFound)
			}
		})
	}
}

// matrixEnv is one route's backend with its two servers and keys.
//
// Dumping the database is the slow part under -race, so refusals are
// checked in runs: the dump before the first refusal of a run is compared
// with the dump after its last one (settle), and a difference names every
// refusal of the run.
type matrixEnv struct {
	t         *testing.T
	env       *backendtest.Env
	anonymous http.Handler // anonymous loopback mode
	keyed     http.Handler // keys required
	rwKey     string
	roKey     string
	revoked   string
	before    string   // the dump before the current run of refusals
	pending   []string // the refusals of the run
}

func newMatrixEnv(t *testing.T, fx *fixture) *matrixEnv {
	env := newEnv(t, fx)
	m := &matrixEnv{
		t:         t,
		env:       env,
		anonymous: env.Backend.AuthorizedHandler(auth.Config{Anonymous: true}),
		keyed:     env.Backend.AuthorizedHandler(auth.Config{}),
	}
	t.Cleanup(m.settle)
	return m
}

// anonymousCases run before any key exists.
func (m *matrixEnv) anonymousCases(req func() *http.Request, write bool, want int) {
	r := req()
	r.Host = "evil.example:8080"
	m.refused("anonymous, foreign Host", m.anonymous, r, http.StatusForbidden, msgForeignHost)

	r = req()
	r.Host = "localhost"
	r.Header.Set("Origin", "http://evil.example")
	m.refused("anonymous, foreign Origin", m.anonymous, r, http.StatusForbidden, msgForeignOrigin)

	if write {
		r = req()
		r.Header.Set("Content-Type", "text/plain")
		m.refused("anonymous, text/plain write", m.anonymous, r, http.StatusUnsupportedMediaType, msgNotJSON)
		r = req()
		r.Header.Del("Content-Type")
		m.refused("anonymous, write without Content-Type", m.anonymous, r, http.StatusUnsupportedMediaType, msgNotJSON)
	} else {
		r = req()
		r.Header.Set("Content-Type", "text/plain")
		m.allowed("anonymous, text/plain read", m.anonymous, r, want)
	}
}

// keyedCases create keys, then try every kind of key; the valid key last.
func (m *matrixEnv) keyedCases(req func() *http.Request, write bool, want int, external bool) {
	m.createKeys()
	m.refused("anonymous server once a key exists, no key", m.anonymous, req(), http.StatusUnauthorized, msgAuthFailed)

	withKey := func(key string) *http.Request {
		r := req()
		r.Header.Set("X-Api-Key", key)
		return r
	}
	m.refused("no key", m.keyed, req(), http.StatusUnauthorized, msgAuthFailed)
	m.refused("wrong key", m.keyed, withKey("mkr_wrong"), http.StatusUnauthorized, msgAuthFailed)
	m.refused("revoked key", m.keyed, withKey(m.revoked), http.StatusUnauthorized, msgAuthFailed)
	if write {
		m.refused("read-only key", m.keyed, withKey(m.roKey), http.StatusForbidden, msgReadOnly)
	} else {
		m.allowed("read-only key", m.keyed, withKey(m.roKey), want)
	}
	before := m.env.MustDump(m.t)
	m.allowed("valid key", m.keyed, withKey(m.rwKey), want)
	if write && !external && m.env.MustDump(m.t) == before {
		m.t.Errorf("valid key: the write changed nothing; the row's request should reach the route and change its resource")
	}
}

// publicCases: a public route (GET /healthz) answers every caller alike,
// before and after keys exist, with no key, a bad one or a good one, from
// any Host or Origin.
func (m *matrixEnv) publicCases(req func() *http.Request, want int) {
	foreign := func() *http.Request {
		r := req()
		r.Host = "evil.example:8080"
		r.Header.Set("Origin", "http://evil.example")
		return r
	}
	m.allowed("anonymous server, foreign Host and Origin", m.anonymous, foreign(), want)
	m.createKeys()
	m.allowed("anonymous server once a key exists, no key", m.anonymous, req(), want)
	m.allowed("keyed server, no key, foreign Host and Origin", m.keyed, foreign(), want)
	for name, key := range map[string]string{"wrong key": "mkr_wrong", "revoked key": m.revoked, "read-only key": m.roKey, "valid key": m.rwKey} {
		r := req()
		r.Header.Set("X-Api-Key", key)
		m.allowed(name, m.keyed, r, want)
	}
}

func (m *matrixEnv) createKeys() {
	if m.rwKey != "" {
		return
	}
	m.settle()
	ctx := context.Background()
	b := m.env.Backend
	var err error
	if _, m.rwKey, err = b.CreateAPIKey(ctx, "rw", false); err != nil {
		m.t.Fatal(err)
	}
	if _, m.roKey, err = b.CreateAPIKey(ctx, "ro", true); err != nil {
		m.t.Fatal(err)
	}
	old, key, err := b.CreateAPIKey(ctx, "old", false)
	if err != nil {
		m.t.Fatal(err)
	}
	if err := b.RevokeAPIKey(ctx, old.ID); err != nil {
		m.t.Fatal(err)
	}
	m.revoked = key
}

// refused asserts that h refuses r with status and msg; settle checks
// that it changed nothing.
func (m *matrixEnv) refused(name string, h http.Handler, r *http.Request, status int, msg string) {
	m.t.Helper()
	if len(m.pending) == 0 {
		m.before = m.env.MustDump(m.t)
	}
	m.pending = append(m.pending, name)
	resp := serve(h, r)
	got, err := errorMessage(resp.body)
	if resp.status != status || err != nil || got != msg {
		m.t.Errorf("%s: got %s, want %d %q", name, resp, status, msg)
	}
}

// settle ends a run of refusals: none of them may have changed the
// database.
func (m *matrixEnv) settle() {
	m.t.Helper()
	if len(m.pending) == 0 {
		return
	}
	if after := m.env.MustDump(m.t); after != m.before {
		m.t.Errorf("the database changed during refused requests (%s)", strings.Join(m.pending, "; "))
	}
	m.pending = nil
}

// allowed asserts that h answers r as the route does (status want).
func (m *matrixEnv) allowed(name string, h http.Handler, r *http.Request, want int) {
	m.t.Helper()
	m.settle()
	if resp := serve(h, r); resp.status != want {
		m.t.Errorf("%s: got %s, want %d", name, resp, want)
	}
}
