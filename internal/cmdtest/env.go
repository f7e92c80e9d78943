package cmdtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/store/storetest"
	"github.com/mkr-dev/mkr/client"
)

// Epoch is where every Env's clock starts: it prints as
// 2024-05-06T16:08:09+09:00 in JST and 1714979289 in epoch seconds.
var Epoch = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// JST makes printed times deterministic whatever the machine's zone, for
// tests that pin upstream's local-time output.
var JST = time.FixedZone("Asia/Tokyo", 9*60*60)

// Clock is a settable clock, safe for concurrent use (the store
// contract suite's, so that every test of mkr moves time the same way).
type Clock = storetest.Clock

// Env is one isolated mkr installation.
type Env struct {
	T    testing.TB
	Dir  string
	Conf string // an existing agent config whose root is AgentRoot()
	// Vars is the environment of every run (MKR_DB, HOME, XDG_STATE_HOME).
	Vars  map[string]string
	Clock *Clock
	// Location is the time zone of printed times (default UTC).
	Location          *time.Location
	Version, Revision string
	// Names maps placeholders such as {web} (see Expand) to real ids.
	Names map[string]string

	api     *client.Client
	backend *backend.Backend
}

// Option adjusts a new Env.
type Option func(*Env)

// WithLocation prints times in loc.
func WithLocation(loc *time.Location) Option { return func(e *Env) { e.Location = loc } }

// New makes an Env in tb.TempDir(); everything is released by tb.Cleanup.
func New(tb testing.TB, opts ...Option) *Env {
	tb.Helper()
	dir := tb.TempDir()
	e := &Env{
		T:    tb,
		Dir:  dir,
		Conf: filepath.Join(dir, "mackerel-agent.conf"),
		Vars: map[string]string{
			"MKR_DB":         filepath.Join(dir, "mkr.db"),
			"HOME":           filepath.Join(dir, "home"),
			"XDG_STATE_HOME": filepath.Join(dir, "state"),
		},
		Clock:    storetest.NewClock(Epoch),
		Location: time.UTC,
		Version:  "1.2.3-test", Revision: "0123abcd",
		Names: map[string]string{},
	}
	for _, o := range opts {
		o(e)
	}
	if err := os.MkdirAll(e.AgentRoot(), 0o755); err != nil {
		tb.Fatal(err)
	}
	e.WriteConf(fmt.Sprintf("root = %q\n", e.AgentRoot()))
	db, err := templateDB()
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(e.DBPath(), db, 0o600); err != nil {
		tb.Fatal(err)
	}
	return e
}

// templateDB returns the bytes of a freshly migrated database. Migrating
// takes a while under -race, so it is done once and copied into every Env.
var templateDB = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "mkr-template-db")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "mkr.db")
	b, err := backend.Open(context.Background(), path, backend.Options{})
	if err != nil {
		return nil, err
	}
	// Closing checkpoints the WAL into the main file.
	if err := b.Close(); err != nil {
		return nil, err
	}
	return os.ReadFile(path)
})

// DBPath is the Env's database file.
func (e *Env) DBPath() string { return e.Vars["MKR_DB"] }

// AgentRoot is the agent's root directory (its id file lives there).
func (e *Env) AgentRoot() string { return filepath.Join(e.Dir, "agent") }

// StateDir is mkr's state directory ($XDG_STATE_HOME/mkr).
func (e *Env) StateDir() string { return filepath.Join(e.Vars["XDG_STATE_HOME"], "mkr") }

// WriteConf replaces the Env's agent config.
func (e *Env) WriteConf(content string) {
	e.T.Helper()
	if err := os.WriteFile(e.Conf, []byte(content), 0o600); err != nil {
		e.T.Fatal(err)
	}
}

// WriteHostID writes the agent's <root>/id file verbatim.
func (e *Env) WriteHostID(content string) {
	e.T.Helper()
	if err := os.WriteFile(filepath.Join(e.AgentRoot(), "id"), []byte(content), 0o600); err != nil {
		e.T.Fatal(err)
	}
}

// WriteFile writes a file below the Env's directory and returns its path.
func (e *Env) WriteFile(name, content string) string {
	e.T.Helper()
	p := filepath.Join(e.Dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.T.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		e.T.Fatal(err)
	}
	return p
}

// Expand replaces {name} placeholders with the ids recorded in e.Names.
func (e *Env) Expand(s string) string {
	pairs := make([]string, 0, 2*len(e.Names))
	for k, v := range e.Names {
		pairs = append(pairs, "{"+k+"}", v)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}
