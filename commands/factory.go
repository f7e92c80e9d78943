package commands

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os/user"
	"path/filepath"
	"time"

	"github.com/mkr-dev/mkr/backend/auth"
	"github.com/mkr-dev/mkr/client"
	"github.com/urfave/cli/v2"
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
}

// Factory carries every dependency a command may need. Expensive pieces
// are built lazily so that `--help`, `completion` or `wrap` never fail on a
// missing key or database.
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

	// app is this run's command tree (help needs its root).
	app *cli.App

	logger   *Logger
	conf     *agentConfig
	confErr  error
	confRead bool
	client   *client.Client
	target   *Target
	closers  []func() error
	// noSpoolReplay keeps Client from replaying the wrap spool, for the
	// command that replays it itself (`mkr wrap --flush`).
	noSpoolReplay bool
}

// NewFactory returns a Factory over ios and the given environment lookup.
func NewFactory(ios *IOStreams, getenv func(string) string) *Factory {
	// getenv is the run's environment: honour NO_COLOR and TERM=dumb from
	// it too, not only from the process's (SystemIO).
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		ios.NoColor = true
	}
	return &Factory{IO: ios, Getenv: getenv, Now: time.Now, Prompter: terminalPrompter{}}
}

// Log returns the stderr logger (honouring --quiet).
func (f *Factory) Log() *Logger {
	if f.logger == nil || f.logger.quiet != f.Global.Quiet {
		f.logger = NewLogger(f.IO.ErrOut, f.Global.Quiet, f.IO.ColorErr())
	}
	return f.logger
}

// Printer returns the stdout printer for opts.
func (f *Factory) Printer(opts PrintOptions) *Printer {
	return &Printer{out: f.IO.Out, tty: f.IO.StdoutTTY, color: f.IO.ColorOut(), opts: opts}
}

// home is $HOME, else the account's home directory from the user
// database (cron and systemd may run mkr without HOME), else "." as a
// last resort.
func (f *Factory) home() string {
	if h := f.Getenv("HOME"); h != "" {
		return h
	}
	if u, err := user.Current(); err == nil && u.HomeDir != "" {
		return u.HomeDir
	}
	return "."
}

// confPath is --conf or the OS default.
func (f *Factory) confPath() string {
	if f.Global.Conf != "" {
		return f.Global.Conf
	}
	return defaultAgentConfPath(f.home())
}

// AgentConfig loads mackerel-agent.conf once. A missing default file is not
// an error (nil config); a missing explicit --conf file or a broken file is.
func (f *Factory) AgentConfig() (*agentConfig, error) {
	if f.confRead {
		return f.conf, f.confErr
	}
	f.confRead = true
	f.conf, f.confErr = loadAgentConfig(f.confPath())
	if errors.Is(f.confErr, errNoConf) && !f.Global.ConfSet {
		f.conf, f.confErr = nil, nil
	}
	return f.conf, f.confErr
}

// Target says which backend the client talks to.
type Target struct {
	Local   bool
	DBPath  string
	BaseURL string
	apiKey  string
}

// String describes the target for people; it never includes the key.
func (t *Target) String() string {
	if t.Local {
		return "local database " + t.DBPath
	}
	return t.BaseURL
}

// ResolveTarget decides, in this one place, between the hosted API (or a
// compatible server) and the embedded backend:
//   - --local / MKR_LOCAL=1 force the embedded backend;
//   - an API key (MACKEREL_APIKEY, MACKEREL_API_KEY, conf apikey) or an
//     explicit --apibase / MACKEREL_APIBASE selects a remote API;
//   - otherwise the embedded backend on --db, MKR_DB or the XDG data dir.
func (f *Factory) ResolveTarget() (*Target, error) {
	if f.target != nil {
		return f.target, nil
	}
	if f.Global.Local || truthy(f.Getenv("MKR_LOCAL")) {
		f.target = &Target{Local: true, DBPath: f.dbPath()}
		return f.target, nil
	}
	conf, err := f.AgentConfig()
	if err != nil {
		return nil, err
	}
	if conf == nil {
		conf = &agentConfig{}
	}
	key := firstNonEmpty(f.Getenv("MACKEREL_APIKEY"), f.Getenv("MACKEREL_API_KEY"), conf.APIKey)
	explicitBase := firstNonEmpty(f.Global.APIBase, f.Getenv("MACKEREL_APIBASE"))
	if key == "" && explicitBase == "" {
		f.target = &Target{Local: true, DBPath: f.dbPath()}
		return f.target, nil
	}
	base := firstNonEmpty(explicitBase, conf.APIBase, client.DefaultBaseURL)
	f.target = &Target{BaseURL: base, apiKey: key}
	return f.target, nil
}

func (f *Factory) dbPath() string {
	if p := firstNonEmpty(f.Global.DB, f.Getenv("MKR_DB")); p != "" {
		return p
	}
	if x := f.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "mkr", "mkr.db")
	}
	return filepath.Join(f.home(), ".local", "share", "mkr", "mkr.db")
}

// Client returns the API client for the resolved target, opening the
// embedded backend when local.
func (f *Factory) Client(ctx context.Context) (*client.Client, error) {
	if f.client != nil {
		return f.client, nil
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
		b, err := f.OpenBackend(ctx, t.DBPath)
		if err != nil {
			return nil, err
		}
		opts.BaseURL = "http://mkr.local"
		opts.Transport = client.NewInProcessTransport(b.Handler())
	}
	c, err := client.New(opts)
	if err != nil {
		return nil, err
	}
	f.client = c
	if !f.noSpoolReplay {
		f.replaySpool(ctx, c)
	}
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
	CountActiveAPIKeys(ctx context.Context) (int, error)
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
	f.closers = append(f.closers, b.Close)
	return b, nil
}

// Close releases what the run opened.
func (f *Factory) Close() error {
	var errs []error
	for i := len(f.closers) - 1; i >= 0; i-- {
		errs = append(errs, f.closers[i]())
	}
	f.closers = nil
	return errors.Join(errs...)
}

// LocalHostID returns the agent's host id from <root>/id, root coming from
// the config file or the OS default.
func (f *Factory) LocalHostID() (string, error) {
	conf, err := f.AgentConfig()
	if err != nil {
		return "", err
	}
	root := defaultAgentRoot(f.home())
	if conf != nil && conf.Root != "" {
		root = conf.Root
	}
	return readHostID(root)
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func truthy(s string) bool {
	switch s {
	case "1", "true", "TRUE", "True", "yes", "on":
		return true
	}
	return false
}

// location is the time zone for human-readable times (local unless a test
// fixes it).
func (f *Factory) location() *time.Location {
	if f.Location != nil {
		return f.Location
	}
	return time.Local
}
