package commands

// Fixtures of the issue-4 end-to-end tests (wrap, spool, checks run,
// alerts). Each twEnv is one isolated mkr installation: a SQLite database,
// a home, an XDG state directory and an agent config, all under
// t.TempDir(). Commands run in-process through Run with a Factory from
// NewFactory over a map environment, or as the real binary (built once per
// test process) where processes, signals or memory matter. The only
// stand-ins are the clock, the terminal flags and the wrapped jobs
// (/bin/sh and friends).

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

// twEpoch is where every twEnv's clock starts: a whole second, so that
// occurredAt and openedAt are predictable.
var twEpoch = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// twClock is the Factory's clock, shared by every run of an env (and by
// `mkr serve` in it) and advanced by hand.
type twClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *twClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *twClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// twBuffer is a bytes.Buffer that concurrent writers (wrap's output
// copiers, a server goroutine) may write while the test reads it.
type twBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *twBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *twBuffer) String() string {
	if b == nil {
		return ""
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// twEnv is one mkr installation.
type twEnv struct {
	t     testing.TB
	dir   string
	conf  string // an existing agent config whose root is agentRoot()
	vars  map[string]string
	clock *twClock
}

func twNewEnv(t testing.TB) *twEnv {
	t.Helper()
	dir := t.TempDir()
	e := &twEnv{
		t:    t,
		dir:  dir,
		conf: filepath.Join(dir, "mackerel-agent.conf"),
		vars: map[string]string{
			"MKR_DB":         filepath.Join(dir, "mkr.db"),
			"HOME":           filepath.Join(dir, "home"),
			"XDG_STATE_HOME": filepath.Join(dir, "state"),
		},
		clock: &twClock{now: twEpoch},
	}
	e.writeFile("mackerel-agent.conf", fmt.Sprintf("root = %q\n", e.agentRoot()))
	return e
}

func (e *twEnv) agentRoot() string { return filepath.Join(e.dir, "agent") }
func (e *twEnv) stateDir() string  { return filepath.Join(e.vars["XDG_STATE_HOME"], "mkr") }

// spoolDir is the spool of the one backend that has spooled reports (each
// backend has its own, under state/mkr/backends/<key>/spool), or of the
// env's local database when none has.
func (e *twEnv) spoolDir() string {
	dirs, _ := filepath.Glob(filepath.Join(e.stateDir(), "backends", "*", "spool"))
	if len(dirs) > 1 {
		e.t.Fatalf("reports spooled for several backends: %v", dirs)
	}
	if len(dirs) == 1 {
		return dirs[0]
	}
	return filepath.Join(e.localSpoolStateDir(), "spool")
}

// localSpoolStateDir is the wrap state directory for the env's local
// database, as mkr computes it.
func (e *twEnv) localSpoolStateDir() string {
	f := NewFactory(&IOStreams{}, func(k string) string { return e.vars[k] })
	f.BackendOpener = testBackendOpener
	return f.spoolStateDir()
}

// writeFile writes name (relative to the env's directory) and returns its path.
func (e *twEnv) writeFile(name, content string) string {
	e.t.Helper()
	p := filepath.Join(e.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// twOpts describe one in-process run.
type twOpts struct {
	tty  bool              // stdout and stderr are terminals
	env  map[string]string // added to or overriding the env's variables
	conf string            // --conf value; "" is the env's config, "-" none at all
}

// twResult is what a person sees: the exit code and both streams.
type twResult struct {
	code           int
	stdout, stderr string
}

func (r twResult) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

// factory builds the Factory of one run exactly as Main does, but over
// buffers, the env's variables and clock.
func (e *twEnv) factory(o twOpts) (*Factory, *twBuffer, *twBuffer) {
	ios, _, _, _ := TestIO()
	out, errOut := &twBuffer{}, &twBuffer{}
	ios.Out, ios.ErrOut = out, errOut
	ios.StdoutTTY, ios.StderrTTY = o.tty, o.tty
	vars := map[string]string{}
	for k, v := range e.vars {
		vars[k] = v
	}
	for k, v := range o.env {
		vars[k] = v
	}
	f := NewFactory(ios, func(k string) string { return vars[k] })
	f.BackendOpener = testBackendOpener
	f.Now = e.clock.Now
	f.Location = time.UTC
	f.Version, f.Revision = "test", "test"
	return f, out, errOut
}

func (e *twEnv) run(args ...string) twResult {
	e.t.Helper()
	return e.runWith(twOpts{}, args...)
}

// runWith runs `mkr --conf <conf> args...` in-process.
func (e *twEnv) runWith(o twOpts, args ...string) twResult {
	e.t.Helper()
	f, out, errOut := e.factory(o)
	argv := []string{"mkr"}
	switch o.conf {
	case "":
		argv = append(argv, "--conf", e.conf)
	case "-":
	default:
		argv = append(argv, "--conf", o.conf)
	}
	code := Run(context.Background(), f, append(argv, args...))
	return twResult{code: code, stdout: out.String(), stderr: errOut.String()}
}

// mustRun runs args and fails the test unless mkr exits 0.
func (e *twEnv) mustRun(args ...string) twResult {
	e.t.Helper()
	r := e.run(args...)
	if r.code != 0 {
		e.t.Fatalf("mkr %s:\n%s", strings.Join(args, " "), r)
	}
	return r
}

// createHost registers a host through `mkr create` and returns its id.
func (e *twEnv) createHost(name string, extra ...string) string {
	e.t.Helper()
	r := e.mustRun(append(append([]string{"create"}, extra...), name)...)
	return strings.TrimSpace(r.stdout)
}

// inspect opens the env's database with its clock, the way a second mkr
// process would, and hands fn a client talking to it in-process.
func (e *twEnv) inspect(fn func(ctx context.Context, cl *client.Client)) {
	e.t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, e.vars["MKR_DB"], store.Options{Now: e.clock.Now})
	if err != nil {
		e.t.Fatalf("opening the database: %v", err)
	}
	defer st.Close()
	cl, err := client.New(client.Options{
		BaseURL:   "http://mkr.test",
		Transport: client.NewInProcessTransport(backend.New(st, backend.Options{}).Handler()),
		Retry:     client.RetryPolicy{MaxRetries: -1},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	fn(ctx, cl)
}

// alerts returns every alert (open only, or with closed ones), newest first.
func (e *twEnv) alerts(withClosed bool) []*client.Alert {
	e.t.Helper()
	var all []*client.Alert
	e.inspect(func(ctx context.Context, cl *client.Client) {
		next := ""
		for {
			page, err := cl.FindAlerts(ctx, withClosed, next, 100)
			if err != nil {
				e.t.Fatalf("FindAlerts: %v", err)
			}
			all = append(all, page.Alerts...)
			if page.NextID == "" {
				return
			}
			next = page.NextID
		}
	})
	return all
}

// hosts returns every host that is not retired.
func (e *twEnv) hosts() []*client.Host {
	e.t.Helper()
	var hosts []*client.Host
	e.inspect(func(ctx context.Context, cl *client.Client) {
		var err error
		if hosts, err = cl.FindHosts(ctx, client.FindHostsParam{Statuses: client.HostStatuses}); err != nil {
			e.t.Fatalf("FindHosts: %v", err)
		}
	})
	return hosts
}

// report posts check reports straight to the database (for alert fixtures).
func (e *twEnv) report(reports ...client.CheckReport) {
	e.t.Helper()
	e.inspect(func(ctx context.Context, cl *client.Client) {
		for start := 0; start < len(reports); start += client.MaxCheckReportsPerRequest {
			if err := cl.PostCheckReports(ctx, reports[start:min(start+client.MaxCheckReportsPerRequest, len(reports))]); err != nil {
				e.t.Fatalf("PostCheckReports: %v", err)
			}
		}
	})
}

// check is a check report about hostID at the env's current time.
func (e *twEnv) check(hostID, name, status, message string) client.CheckReport {
	return client.CheckReport{Source: client.HostCheckSource(hostID), Name: name, Status: status,
		Message: message, OccurredAt: e.clock.Now().Unix()}
}

// spooled lists the report files waiting in the spool.
func (e *twEnv) spooled() []string {
	e.t.Helper()
	entries, err := os.ReadDir(e.spoolDir())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		e.t.Fatal(err)
	}
	var names []string
	for _, en := range entries {
		if strings.HasSuffix(en.Name(), ".json") && !strings.HasPrefix(en.Name(), ".") {
			names = append(names, en.Name())
		}
	}
	return names
}

// twIDs replaces each id with its placeholder, so that outputs holding
// random ids can be compared whole.
func twIDs(s string, ids map[string]string) string {
	for placeholder, id := range ids {
		s = strings.ReplaceAll(s, id, placeholder)
	}
	return s
}

// twWant fails the test unless got equals want, showing both.
func twWant(t testing.TB, what string, got, want any) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s:\n got: %q\nwant: %q", what, got, want)
	}
}

// twErrorLine matches a logged error, which no successful path may print.
var twErrorLine = regexp.MustCompile(`(?m)^\s*error `)

// --- the real binary ---------------------------------------------------------

var twBin struct {
	once sync.Once
	path string
	err  error
}

// twMkrBinary builds ./cmd/mkr once per test process (without -race) and
// returns its path. The directory is removed by a later test
// process once this one has exited.
func twMkrBinary(t testing.TB) string {
	t.Helper()
	twBin.once.Do(func() {
		twSweepBinaries()
		goTool, err := exec.LookPath("go")
		if err != nil {
			goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		dir, err := os.MkdirTemp("", fmt.Sprintf("mkr-w-bin-%d-", os.Getpid()))
		if err != nil {
			twBin.err = err
			return
		}
		twBin.path = filepath.Join(dir, "mkr")
		// The test's own build settings (but not -race), so that the build
		// cache is shared with the other tests that build mkr.
		cmd := exec.Command(goTool, "build", "-o", twBin.path, "github.com/mkr-dev/mkr/cmd/mkr")
		if out, err := cmd.CombinedOutput(); err != nil {
			twBin.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if twBin.err != nil {
		t.Fatal(twBin.err)
	}
	return twBin.path
}

// twSweepBinaries removes binaries built by test processes that are gone.
func twSweepBinaries() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "mkr-w-bin-*"))
	for _, d := range dirs {
		var pid int
		if _, err := fmt.Sscanf(filepath.Base(d), "mkr-w-bin-%d-", &pid); err != nil || pid == os.Getpid() {
			continue
		}
		p, err := os.FindProcess(pid)
		if err == nil {
			err = p.Signal(syscall.Signal(0))
		}
		if err != nil && (errors.Is(err, os.ErrProcessDone) || errors.Is(err, syscall.ESRCH)) {
			os.RemoveAll(d)
		}
	}
}

// procEnv is the environment of a real mkr process in e: PATH and the
// env's variables, nothing else (no API key can leak in).
func (e *twEnv) procEnv(extra ...string) []string {
	env := []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range e.vars {
		env = append(env, k+"="+v)
	}
	return append(env, extra...)
}

// command prepares `mkr --conf <conf> args...` as a process; it is killed
// when the test ends if it is still running.
func (e *twEnv) command(args ...string) (*exec.Cmd, *twBuffer, *twBuffer) {
	e.t.Helper()
	cmd := exec.Command(twMkrBinary(e.t), append([]string{"--conf", e.conf}, args...)...)
	cmd.Env = e.procEnv()
	cmd.Dir = e.dir
	out, errOut := &twBuffer{}, &twBuffer{}
	cmd.Stdout, cmd.Stderr = out, errOut
	e.t.Cleanup(func() {
		if cmd.Process != nil && cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
	})
	return cmd, out, errOut
}

// execMkr runs the real binary and waits for it (a minute at most).
func (e *twEnv) execMkr(args ...string) twResult {
	e.t.Helper()
	cmd, out, errOut := e.command(args...)
	return twFinish(e.t, cmd, out, errOut, time.Minute)
}

// twFinish waits for cmd (starting it if needed), killing it after limit.
func twFinish(t testing.TB, cmd *exec.Cmd, out, errOut *twBuffer, limit time.Duration) twResult {
	t.Helper()
	if cmd.Process == nil {
		if err := cmd.Start(); err != nil {
			t.Fatalf("starting %s: %v", cmd, err)
		}
	}
	timer := time.AfterFunc(limit, func() { cmd.Process.Kill() })
	defer timer.Stop()
	err := cmd.Wait()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("running %s: %v", cmd, err)
	}
	return twResult{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errOut.String()}
}

// twWaitFile waits until path exists.
func twWaitFile(t testing.TB, path string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not appear within %s", path, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
