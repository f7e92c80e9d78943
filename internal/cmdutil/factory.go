package cmdutil

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os/user"
	"path/filepath"
	"sync"
	"time"

	"github.com/mkr-dev/mkr/backend/auth"
	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/agentconf"
	"github.com/mkr-dev/mkr/internal/dbdsn"
	"github.com/mkr-dev/mkr/internal/redact"
)

// GlobalOptions are the flags every command accepts (before or after its
// name). Only the root's Before hooks write them.
type GlobalOptions struct {
	Conf    string
	ConfSet bool // --conf given explicitly: a missing file is an error
	APIBase string
	Quiet   bool
	DB      string
	Local   bool
	Profile string // --profile
}

// Factory carries every dependency a command may need. The root fills it
// (Global from the global flags, before any action); commands only read it.
// Expensive pieces are built lazily, and memoised, so that `--help`,
// `completion` or `wrap` never fail on a missing key or database.
type Factory struct {
	IO       *IOStreams
	Getenv   func(string) string
	Now      func() time.Time
	Prompter Prompter
	Version  string
	Revision string
	Global   GlobalOptions
	// Location is the time zone of printed times; nil means time.Local.
	Location *time.Location
	// BackendOpener opens the embedded backend (see EmbeddedBackend).
	BackendOpener BackendOpener

	// lenientConf is the log prefix of a Factory from WithLenientConf.
	lenientConf string
	// run is shared with derived Factories: what the run must close.
	run *runResources
	// lazy holds this Factory's memoised values.
	lazy *lazyValues
}

// runResources is shared by the Factories of concurrent fan-out runs
// (ForProfile), hence the lock.
type runResources struct {
	mu      sync.Mutex
	closers []func() error
	seen    map[string]bool // see once
}

type lazyValues struct {
	logger   *Logger
	conf     *agentconf.Config
	confErr  error
	confRead bool
	client   *client.Client
	target   *Target
}

// NewFactory returns a Factory over ios and the given environment lookup.
func NewFactory(ios *IOStreams, getenv func(string) string) *Factory {
	// getenv is the run's environment: honour NO_COLOR and TERM=dumb from
	// it too, not only from the process's (SystemIO).
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		ios.NoColor = true
	}
	return &Factory{IO: ios, Getenv: getenv, Now: time.Now, Prompter: TerminalPrompter{}, run: &runResources{}, lazy: &lazyValues{}}
}

// WithLenientConf returns a Factory for the same run that treats a missing
// (even explicit --conf) or broken agent config as absent, logging it with
// logPrefix: upstream's wrap does so, so that a report still has a backend
// to go to instead of being lost with the config. f is not changed.
func (f *Factory) WithLenientConf(logPrefix string) *Factory {
	g := *f
	g.lenientConf = logPrefix
	g.lazy = &lazyValues{}
	return &g
}

// Log returns the stderr logger (honouring --quiet).
func (f *Factory) Log() *Logger {
	if l := f.lazy.logger; l != nil && l.quiet == f.Global.Quiet {
		return l
	}
	f.lazy.logger = NewLogger(f.IO.ErrOut, f.Global.Quiet, f.IO.ColorErr())
	return f.lazy.logger
}

// Printer returns the stdout printer for opts.
func (f *Factory) Printer(opts PrintOptions) *Printer {
	return &Printer{out: f.IO.Out, tty: f.IO.StdoutTTY, color: f.IO.ColorOut(), width: f.tableWidth(), opts: opts}
}

// Home is $HOME, else the account's home directory from the user
// database (cron and systemd may run mkr without HOME), else "." as a
// last resort.
func (f *Factory) Home() string {
	if h := f.Getenv("HOME"); h != "" {
		return h
	}
	if u, err := user.Current(); err == nil && u.HomeDir != "" {
		return u.HomeDir
	}
	return "."
}

// ConfPath is --conf or the OS default.
func (f *Factory) ConfPath() string {
	if f.Global.Conf != "" {
		return f.Global.Conf
	}
	return agentconf.DefaultConfPath(f.Home())
}

// AgentConfig loads mackerel-agent.conf once. A missing default file is not
// an error (nil config); a missing explicit --conf file or a broken file is.
func (f *Factory) AgentConfig() (*agentconf.Config, error) {
	l := f.lazy
	if l.confRead {
		return l.conf, l.confErr
	}
	l.confRead = true
	l.conf, l.confErr = agentconf.Load(f.ConfPath())
	if errors.Is(l.confErr, agentconf.ErrNoConf) && !f.Global.ConfSet {
		l.conf, l.confErr = nil, nil
	}
	if l.confErr != nil && f.lenientConf != "" {
		if errors.Is(l.confErr, agentconf.ErrNoConf) {
			f.Log().Info("%s configuration file %q not found", f.lenientConf, f.ConfPath())
		} else {
			f.Log().Error("%s %v", f.lenientConf, l.confErr)
		}
		l.conf, l.confErr = nil, nil
	}
	return l.conf, l.confErr
}

// Target says which backend the client talks to.
type Target struct {
	Local   bool
	DBPath  string
	BaseURL string
	// Profile names the profile the target came from, if any.
	Profile string
	apiKey  string
}

// String describes the target for people; it never includes the key.
func (t *Target) String() string {
	s := redact.URL(t.BaseURL)
	if t.Local {
		s = "local database " + dbdsn.Display(t.DBPath)
	}
	if t.Profile != "" {
		s += " (profile " + t.Profile + ")"
	}
	return s
}

// identity names the backend exactly (credentials in the URL included),
// for keys such as the spool's directory; it is never printed.
func (t *Target) identity() string {
	if t.Local {
		return "local database " + t.DBPath
	}
	return t.BaseURL
}

// ResolveTarget decides, in this one place, between the hosted API (or a
// compatible server) and the embedded backend:
//   - --local / MKR_LOCAL=1 force the embedded backend;
//   - --profile / MKR_PROFILE select that profile, whole (see
//     profileTarget);
//   - an API key in the environment (MACKEREL_APIKEY, MACKEREL_API_KEY)
//     or an explicit --apibase / MACKEREL_APIBASE selects a remote API,
//     the conf filling in what the environment leaves out;
//   - then the current profile (`mkr profiles use`);
//   - then the conf's apikey selects a remote API;
//   - otherwise the embedded backend on --db, MKR_DB or the XDG data dir.
//
// The environment beats the current profile because it is set for one
// run (a cron line, a CI job); the current profile beats the agent conf
// because a person chose it, while the conf is the machine's.
func (f *Factory) ResolveTarget() (*Target, error) {
	if f.lazy.target != nil {
		return f.lazy.target, nil
	}
	if f.Global.Local || Truthy(f.Getenv("MKR_LOCAL")) {
		f.lazy.target = &Target{Local: true, DBPath: f.DBPath()}
		return f.lazy.target, nil
	}
	if name := FirstNonEmpty(f.Global.Profile, f.Getenv("MKR_PROFILE")); name != "" {
		t, err := f.profileTarget(name)
		if err != nil {
			return nil, err
		}
		f.lazy.target = t
		return t, nil
	}
	conf, err := f.AgentConfig()
	if err != nil {
		return nil, err
	}
	if conf == nil {
		conf = &agentconf.Config{}
	}
	envKey := FirstNonEmpty(f.Getenv("MACKEREL_APIKEY"), f.Getenv("MACKEREL_API_KEY"))
	explicitBase := FirstNonEmpty(f.Global.APIBase, f.Getenv("MACKEREL_APIBASE"))
	if envKey == "" && explicitBase == "" {
		t, err := f.currentProfileTarget()
		if err != nil {
			return nil, err
		}
		if t != nil {
			f.lazy.target = t
			return t, nil
		}
	}
	key := FirstNonEmpty(envKey, conf.APIKey)
	if key == "" && explicitBase == "" {
		f.lazy.target = &Target{Local: true, DBPath: f.DBPath()}
		return f.lazy.target, nil
	}
	base := FirstNonEmpty(explicitBase, conf.APIBase, client.DefaultBaseURL)
	f.lazy.target = &Target{BaseURL: base, apiKey: key}
	return f.lazy.target, nil
}

func (f *Factory) DBPath() string {
	if p := FirstNonEmpty(f.Global.DB, f.Getenv("MKR_DB")); p != "" {
		return p
	}
	if x := f.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "mkr", "mkr.db")
	}
	return filepath.Join(f.Home(), ".local", "share", "mkr", "mkr.db")
}

// Client returns the API client for the resolved target, opening the
// embedded backend when local.
func (f *Factory) Client(ctx context.Context) (*client.Client, error) {
	if f.lazy.client != nil {
		return f.lazy.client, nil
	}
	t, err := f.ResolveTarget()
	if err != nil {
		return nil, err
	}
	opts := client.Options{BaseURL: t.BaseURL, APIKey: t.apiKey, UserAgent: "mkr/" + f.Version}
	if f.Getenv("DEBUG") != "" {
		opts.Debug = f.IO.ErrOut
	}
	if t.Local {
		notice := f.localNotice(t) // before opening creates the file
		b, err := f.OpenBackend(ctx, t.DBPath)
		if err != nil {
			return nil, err
		}
		if notice != "" {
			f.Log().Info("%s", notice)
		}
		opts.BaseURL = "http://mkr.local"
		opts.Transport = client.NewInProcessTransport(b.Handler())
		// In-process calls are not network calls: no retries (a failure
		// would only repeat), and no per-attempt timeout that would cut
		// SQLite's busy wait for another writer short.
		opts.Timeout = -1
		opts.Retry.MaxRetries = -1
	}
	c, err := client.New(opts)
	if err != nil {
		return nil, err
	}
	f.lazy.client = c
	return c, nil
}

// EmbeddedBackend is the embedded backend as the CLI sees it. cmd/mkr
// wires backend.Open into Factory.BackendOpener, so this package never
// links the store (nor, through it, a database driver's details).
type EmbeddedBackend interface {
	Handler() http.Handler
	AuthorizedHandler(auth.Config) http.Handler
	CreateAPIKey(ctx context.Context, name string, readOnly bool) (*auth.APIKey, string, error)
	ListAPIKeys(ctx context.Context) ([]*auth.APIKey, error)
	RevokeAPIKey(ctx context.Context, id string) error
	CountAPIKeys(ctx context.Context) (auth.KeyCounts, error)
	// StartMonitoring makes the backend a long-running monitoring service
	// (`mkr serve`): background evaluation and external probes, with
	// version in the probes' User-Agent. stop ends them and waits.
	StartMonitoring(ctx context.Context, version string) (stop func())
	// ConfigureSMTP sets the relay of email notifications from an
	// smtp[s]:// URL (`mkr serve --smtp-url`) and returns it without its
	// password, for the log.
	ConfigureSMTP(rawURL string) (shown string, err error)
	// SetOrg renames the organization (`mkr org rename`; the API has no
	// endpoint for it). displayName "" removes the display name.
	SetOrg(ctx context.Context, name, displayName string) error
	// ConfigureRetention sets how long metric points are kept (`mkr serve
	// --retention`); call it before StartMonitoring. CompactMetrics seals
	// and expires metric points now, to completion (`mkr db compact`;
	// retention 0: the configured one) and answers what it did as JSON.
	ConfigureRetention(d time.Duration) error
	CompactMetrics(ctx context.Context, retention time.Duration) (json.RawMessage, error)
	// Backup writes a consistent copy of a SQLite database to dest, a new
	// 0600 file, while others write, and returns its size (`mkr db
	// backup`); an error on PostgreSQL, which pg_dump backs up.
	Backup(ctx context.Context, dest string) (int64, error)
	Close() error
}

// BackendOpener opens the embedded backend on dsn with the given clock.
type BackendOpener func(ctx context.Context, dsn string, now func() time.Time) (EmbeddedBackend, error)

// OpenBackend opens the embedded backend on the database at path and
// closes it when the run ends.
func (f *Factory) OpenBackend(ctx context.Context, path string) (EmbeddedBackend, error) {
	if f.BackendOpener == nil {
		return nil, errors.New("this build of mkr has no embedded backend")
	}
	b, err := f.BackendOpener(ctx, path, f.Now)
	if err != nil {
		return nil, fmt.Errorf("opening the local database: %w", err)
	}
	f.run.mu.Lock()
	f.run.closers = append(f.run.closers, b.Close)
	f.run.mu.Unlock()
	return b, nil
}

// Close releases what the run opened.
func (f *Factory) Close() error {
	f.run.mu.Lock()
	defer f.run.mu.Unlock()
	var errs []error
	for i := len(f.run.closers) - 1; i >= 0; i-- {
		errs = append(errs, f.run.closers[i]())
	}
	f.run.closers = nil
	return errors.Join(errs...)
}

// LocalHostID returns the agent's host id from <root>/id, root coming from
// the config file or the OS default.
func (f *Factory) LocalHostID() (string, error) {
	conf, err := f.AgentConfig()
	if err != nil {
		return "", err
	}
	root := agentconf.DefaultRoot(f.Home())
	if conf != nil && conf.Root != "" {
		root = conf.Root
	}
	return agentconf.ReadHostID(root)
}

func FirstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func Truthy(s string) bool {
	switch s {
	case "1", "true", "TRUE", "True", "yes", "on":
		return true
	}
	return false
}

// location is the time zone for human-readable times (local unless a test
// fixes it).
func (f *Factory) TimeZone() *time.Location {
	if f.Location != nil {
		return f.Location
	}
	return time.Local
}
