package cmdtest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// Backend is the real backend on the Env's database with the Env's clock,
// opened once and closed when the test ends: to seed and inspect what
// commands cannot (or should not) do themselves.
func (e *Env) Backend() *backend.Backend {
	e.T.Helper()
	if e.backend == nil {
		b, err := backend.Open(context.Background(), e.DBPath(), backend.Options{Now: e.Clock.Now})
		if err != nil {
			e.T.Fatalf("opening the database: %v", err)
		}
		e.T.Cleanup(func() { b.Close() })
		e.backend = b
	}
	return e.backend
}

// Store is the store under Backend, for seeding points and reading them
// back exactly.
func (e *Env) Store() store.Store { return e.Backend().Store() }

// API is a client on the Env's database through the real backend, in
// process and without retries.
func (e *Env) API() *client.Client {
	e.T.Helper()
	if e.api == nil {
		c, err := client.New(client.Options{
			BaseURL:   "http://seed.local",
			Transport: client.NewInProcessTransport(e.Backend().Handler()),
			Retry:     client.RetryPolicy{MaxRetries: -1},
		})
		if err != nil {
			e.T.Fatal(err)
		}
		e.api = c
	}
	return e.api
}

// SeedHost registers a host straight through the API (for fields mkr
// create cannot set, such as interfaces and meta) and records its id.
func (e *Env) SeedHost(p client.CreateHostParam) string {
	e.T.Helper()
	id, err := e.API().CreateHost(context.Background(), &p)
	if err != nil {
		e.T.Fatal(err)
	}
	e.Names[p.Name] = id
	return id
}

// SeedService stores a service with roles straight through the store.
func (e *Env) SeedService(name string, roles ...string) {
	e.T.Helper()
	ctx := context.Background()
	if _, err := e.Store().CreateService(ctx, name, ""); err != nil {
		e.T.Fatalf("creating service %s: %v", name, err)
	}
	for _, r := range roles {
		if _, err := e.Store().CreateRole(ctx, name, r, ""); err != nil {
			e.T.Fatalf("creating role %s:%s: %v", name, r, err)
		}
	}
}

// Alerts lists every alert (open ones, or all).
func (e *Env) Alerts(withClosed bool) []*client.Alert {
	e.T.Helper()
	var all []*client.Alert
	next := ""
	for {
		page, err := e.API().FindAlerts(context.Background(), withClosed, next, 100)
		if err != nil {
			e.T.Fatalf("FindAlerts: %v", err)
		}
		all = append(all, page.Alerts...)
		if page.NextID == "" {
			return all
		}
		next = page.NextID
	}
}

// Hosts lists hosts of every status.
func (e *Env) Hosts() []*client.Host {
	e.T.Helper()
	hosts, err := e.API().FindHosts(context.Background(), client.FindHostsParam{Statuses: client.HostStatuses})
	if err != nil {
		e.T.Fatalf("FindHosts: %v", err)
	}
	return hosts
}

// Report posts check reports as an agent would.
func (e *Env) Report(reports ...client.CheckReport) {
	e.T.Helper()
	for start := 0; start < len(reports); start += client.MaxCheckReportsPerRequest {
		if err := e.API().PostCheckReports(context.Background(), reports[start:min(start+client.MaxCheckReportsPerRequest, len(reports))]); err != nil {
			e.T.Fatalf("PostCheckReports: %v", err)
		}
	}
}

// CheckReport is a report about hostID's check at the Env's time.
func (e *Env) CheckReport(hostID, name, status, message string) client.CheckReport {
	return client.CheckReport{Source: client.HostCheckSource(hostID), Name: name, Status: status,
		Message: message, OccurredAt: e.Clock.Now().Unix()}
}

// SpoolDir is the spool of the only backend that has one, else the local
// database's.
func (e *Env) SpoolDir() string {
	e.T.Helper()
	dirs, _ := filepath.Glob(filepath.Join(e.StateDir(), "backends", "*", "spool"))
	if len(dirs) > 1 {
		e.T.Fatalf("reports spooled for several backends: %v", dirs)
	}
	if len(dirs) == 1 {
		return dirs[0]
	}
	f, _, _ := e.Factory(RunOpts{})
	return f.NewSpool().Dir
}

// Spooled lists the spooled report files.
func (e *Env) Spooled() []string {
	e.T.Helper()
	entries, err := os.ReadDir(e.SpoolDir())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		e.T.Fatal(err)
	}
	var names []string
	for _, en := range entries {
		if strings.HasSuffix(en.Name(), ".json") && !strings.HasPrefix(en.Name(), ".") {
			names = append(names, en.Name())
		}
	}
	return names
}

// APIRequest is one request the recording API server received.
type APIRequest struct {
	Method string
	Path   string // with the query
	Header http.Header
	Body   string
}

func (r APIRequest) String() string { return r.Method + " " + r.Path + " " + r.Body }

// RecordingAPI is the real backend handler over the Env's database,
// served over HTTP by httptest, remembering every request it answered.
type RecordingAPI struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []APIRequest
}

// StartAPI serves the Env's database on loopback.
func (e *Env) StartAPI() *RecordingAPI {
	e.T.Helper()
	return e.StartAPIWith(func(h http.Handler) http.Handler { return h })
}

// Requests returns what was received so far and forgets it.
func (a *RecordingAPI) Requests() []APIRequest {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := a.reqs
	a.reqs = nil
	return out
}

var _ cmdutil.Prompter = (*FakePrompter)(nil)
