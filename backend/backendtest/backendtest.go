// Package backendtest builds a real embedded backend for tests: a SQLite
// database in tb.TempDir() (or a fresh PostgreSQL database, see DBEngine),
// the API handler over it, and clients that talk
// to that handler in-process or over a loopback httptest server. It is
// meant for the tests of any package (commands, client, backend, store);
// nothing here is compiled into mkr itself.
//
// Every Env has its own database and a fixed, manually advanced clock, so
// timestamps in responses are deterministic:
//
//	env := backendtest.New(t)
//	id := env.MustCreateHost(t, store.NewHost{Name: "web01"})
//	h, err := env.Client.FindHost(ctx, id) // in-process, no socket
//	// h.CreatedAt == backendtest.Epoch.Unix()
//	env.Clock.Advance(time.Hour)
//
// What else it offers:
//
//   - NewWithOptions: backend options (an Authorize hook, a body cap), a
//     clock start, the database engine, or a database path (or PostgreSQL URL)
//     shared by two Envs (reopen tests, two replicas).
//   - UseDBEngine: run a test's Envs, and its subtests', on PostgreSQL.
//   - Env.NewServer: the handler on 127.0.0.1 for remote-mode clients such
//     as mackerel-client-go or a client.Client with a BaseURL.
//   - Env.MustDump / MustDumpFile: every row of the database as text, to
//     assert that a rejected request changed nothing.
//   - Env.Engine: the alert rules over Store (check reports, retiring
//     hosts), for set-ups that bypass the handler.
//   - MustOpenStore and Clock: for store-level tests without a handler.
//
// Everything is released through tb.Cleanup; nothing needs closing by hand.
// Failures call tb.Fatalf, so the Must helpers belong on the test goroutine.
package backendtest

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/engine"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/postgres"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
	"github.com/mkr-dev/mkr/backend/store/storetest"
	"github.com/mkr-dev/mkr/client"
)

// Epoch is where every Env's clock starts unless Options.Start says
// otherwise: a whole second, so epoch-second timestamps compare exactly.
// Treat it as a constant.
var Epoch = storetest.Epoch

// BaseURL is the base URL of Env.Client. Requests never leave the process;
// the host only shows up in debug dumps and in r.Host seen by the handler.
const BaseURL = "http://mkr.test"

// Clock is a settable clock for store.Options.Now, shared with the store
// contract suite. It is safe for concurrent use.
type Clock = storetest.Clock

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return storetest.NewClock(t) }

// Options tune NewWithOptions. The zero value is what New uses.
type Options struct {
	// Backend is passed to backend.New (Authorize, MaxBodyBytes, …).
	Backend backend.Options
	// Start is the clock's initial time; default Epoch.
	Start time.Time
	// Path is the database file; default "mkr.db" in tb.TempDir(). Tests
	// that reopen a database pass the same path twice. A postgres:// URL
	// (an earlier Env's Path) opens that PostgreSQL database instead.
	Path string
	// DBEngine is the database; default the test's (UseDBEngine,
	// $MKR_TEST_DB_ENGINE), else SQLite. Ignored when Path is set: a
	// file is SQLite, a URL PostgreSQL.
	DBEngine DBEngine
	// MaxPages caps the database's size (store.Options.MaxPages): writes
	// that need more fail as on a full disk.
	MaxPages int
}

// Env is one backend on its own temporary database.
type Env struct {
	// Path is the SQLite file, or the PostgreSQL database's URL.
	Path string
	// DBEngine is the database Store runs on.
	DBEngine DBEngine
	// Clock drives the store's notion of now.
	Clock *Clock
	// Store is the open database; tests may seed or inspect it directly.
	Store store.Store
	// Engine applies the alert rules to Store, as the handler does.
	Engine *engine.Engine
	// Backend serves the API from Store.
	Backend *backend.Backend
	// Handler is Backend.Handler().
	Handler http.Handler
	// Client talks to Handler in-process (client.NewInProcessTransport),
	// with retries disabled so that a 5xx surfaces at once.
	Client *client.Client

	dumpDB *sql.DB   // read-only connection for MustDump (SQLite)
	pgDump *pgDumper // MustDump's connection (PostgreSQL)
}

// New returns an Env with default options. It fails the test on any error.
func New(tb testing.TB) *Env {
	tb.Helper()
	return NewWithOptions(tb, Options{})
}

// NewWithOptions returns an Env built from opts. It fails the test on any
// error; the store is closed by tb.Cleanup.
func NewWithOptions(tb testing.TB, opts Options) *Env {
	tb.Helper()
	if opts.Start.IsZero() {
		opts.Start = Epoch
	}
	db := opts.DBEngine
	switch {
	case isPostgresDSN(opts.Path):
		db = DBPostgres
	case opts.Path != "":
		db = DBSQLite // a file: the test is about one
	case db == "":
		db = dbEngineFor(tb)
	}
	if db == DBPostgres && opts.MaxPages > 0 {
		tb.Skip("backendtest: MaxPages (a full disk) is SQLite's; this test runs on PostgreSQL")
	}
	if opts.Path == "" {
		if db == DBPostgres {
			opts.Path = postgresDSN(tb)
		} else {
			opts.Path = filepath.Join(tb.TempDir(), "mkr.db")
		}
	}
	clock := NewClock(opts.Start)
	var st store.Store
	if db == DBPostgres {
		st = mustOpenPostgres(tb, opts.Path, store.Options{Now: clock.Now})
	} else {
		st = mustOpenStore(tb, opts.Path, store.Options{Now: clock.Now, MaxPages: opts.MaxPages})
	}
	b := backend.New(st, opts.Backend)
	h := b.Handler()
	c, err := client.New(client.Options{
		BaseURL:   BaseURL,
		Transport: client.NewInProcessTransport(h),
		Retry:     client.RetryPolicy{MaxRetries: -1},
	})
	if err != nil {
		tb.Fatalf("backendtest: building client: %v", err)
	}
	env := &Env{Path: opts.Path, DBEngine: db, Clock: clock, Store: st, Engine: engine.New(st), Backend: b, Handler: h, Client: c}
	if db == DBPostgres {
		// Connects at the first MustDump; closed before the database is
		// dropped (cleanups run last-in first-out).
		env.pgDump = &pgDumper{dsn: opts.Path}
		tb.Cleanup(env.pgDump.close)
	}
	if db == DBSQLite {
		// sql.Open connects lazily, so this costs nothing until MustDump.
		if env.dumpDB, err = openReadOnly(opts.Path); err != nil {
			tb.Fatalf("backendtest: opening %s: %v", opts.Path, err)
		}
		tb.Cleanup(func() { env.dumpDB.Close() })
	}
	return env
}

// MustOpenStore opens the database at path with clock (nil: time.Now) and
// closes it when the test ends.
func MustOpenStore(tb testing.TB, path string, clock *Clock) *sqlite.Store {
	tb.Helper()
	var opts store.Options
	if clock != nil {
		opts.Now = clock.Now
	}
	return mustOpenStore(tb, path, opts)
}

func mustOpenStore(tb testing.TB, path string, opts store.Options) *sqlite.Store {
	tb.Helper()
	skipOnPostgres(tb, path, "MustOpenStore (a *sqlite.Store)")
	st, err := sqlite.Open(context.Background(), path, opts)
	if err != nil {
		tb.Fatalf("backendtest: opening store %s: %v", path, err)
	}
	tb.Cleanup(func() {
		if err := st.Close(); err != nil {
			tb.Errorf("backendtest: closing store: %v", err)
		}
	})
	return st
}

// mustOpenPostgres opens the PostgreSQL database dsn names and closes it
// when the test ends.
func mustOpenPostgres(tb testing.TB, dsn string, opts store.Options) *postgres.Store {
	tb.Helper()
	st, err := postgres.Open(context.Background(), dsn, opts)
	if err != nil {
		tb.Fatalf("backendtest: opening the PostgreSQL store: %v", err)
	}
	tb.Cleanup(func() {
		if err := st.Close(); err != nil {
			tb.Errorf("backendtest: closing store: %v", err)
		}
	})
	return st
}

// NewServer serves the Env's handler on a loopback httptest server, closed
// when the test ends, and returns it; its URL is the base URL for remote
// clients such as mackerel-client-go.
func (e *Env) NewServer(tb testing.TB) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(e.Handler)
	tb.Cleanup(srv.Close)
	return srv
}

// MustCreateHost stores a host (creating the services and roles it names)
// and returns its id. An empty Status means "working".
func (e *Env) MustCreateHost(tb testing.TB, h store.NewHost) string {
	tb.Helper()
	if h.Status == "" {
		h.Status = client.HostStatusWorking
	}
	id, err := e.Store.CreateHost(context.Background(), h)
	if err != nil {
		tb.Fatalf("backendtest: creating host %q: %v", h.Name, err)
	}
	return id
}

// MustCreateService stores a service with the given roles.
func (e *Env) MustCreateService(tb testing.TB, name string, roles ...string) {
	tb.Helper()
	ctx := context.Background()
	if _, err := e.Store.CreateService(ctx, name, ""); err != nil {
		tb.Fatalf("backendtest: creating service %q: %v", name, err)
	}
	for _, r := range roles {
		if _, err := e.Store.CreateRole(ctx, name, r, ""); err != nil {
			tb.Fatalf("backendtest: creating role %s:%s: %v", name, r, err)
		}
	}
}
