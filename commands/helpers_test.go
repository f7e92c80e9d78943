package commands

// Shared fixtures of the command tests. Every run builds a fresh Factory
// over buffers, a map environment (MKR_DB and HOME in a temp dir) and a
// --conf file in that dir, then runs the real command tree in-process
// against the embedded backend on a temp SQLite database. Nothing here
// fakes mkr's own code: only the terminal (TTY flags), the person at the
// prompt (fakePrompter), the clock and the time zone are stand-ins.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

var (
	// jst makes printed times deterministic whatever the machine's zone.
	jst = time.FixedZone("Asia/Tokyo", 9*60*60)
	// testNow is the clock of every run and of seeded hosts: it prints as
	// 2024-05-06T16:08:09+09:00, 1714979289 in verbose views.
	testNow = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
)

// testEnv is one isolated mkr installation: a database, a home directory,
// an agent config and an agent root for the host id file.
type testEnv struct {
	t    *testing.T
	dir  string
	conf string
	vars map[string]string
	// names maps placeholders such as {web} (see expand) to real ids.
	names map[string]string
	seed  *client.Client // see apiClient
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	dir := t.TempDir()
	e := &testEnv{
		t:    t,
		dir:  dir,
		conf: filepath.Join(dir, "mackerel-agent.conf"),
		vars: map[string]string{
			"MKR_DB": filepath.Join(dir, "mkr.db"),
			"HOME":   filepath.Join(dir, "home"),
		},
		names: map[string]string{},
	}
	if err := os.MkdirAll(e.agentRoot(), 0o755); err != nil {
		t.Fatal(err)
	}
	e.writeConf(fmt.Sprintf("root = %q\n", e.agentRoot()))
	db, err := templateDB()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.dbPath(), db, 0o600); err != nil {
		t.Fatal(err)
	}
	return e
}

// templateDB returns the bytes of a freshly migrated database. Migrating
// takes a while under -race, so it is done once and copied into every env.
var templateDB = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "mkr-template-db")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "mkr.db")
	st, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		return nil, err
	}
	// Closing checkpoints the WAL into the main file.
	if err := st.Close(); err != nil {
		return nil, err
	}
	return os.ReadFile(path)
})

func (e *testEnv) dbPath() string    { return e.vars["MKR_DB"] }
func (e *testEnv) agentRoot() string { return filepath.Join(e.dir, "agent") }

func (e *testEnv) writeConf(content string) {
	e.t.Helper()
	if err := os.WriteFile(e.conf, []byte(content), 0o600); err != nil {
		e.t.Fatal(err)
	}
}

// writeHostID writes the agent's <root>/id file verbatim.
func (e *testEnv) writeHostID(content string) {
	e.t.Helper()
	if err := os.WriteFile(filepath.Join(e.agentRoot(), "id"), []byte(content), 0o600); err != nil {
		e.t.Fatal(err)
	}
}

// writeFile writes a file in the env's directory and returns its path.
func (e *testEnv) writeFile(name, content string) string {
	e.t.Helper()
	p := filepath.Join(e.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// runOpts describe the terminal and the person around one run.
type runOpts struct {
	tty      bool              // stdin, stdout and stderr are terminals
	stdin    string            // what stdin holds
	env      map[string]string // added to (or overriding) the env's variables
	prompter Prompter          // nil: any prompt fails the test
	noConf   bool              // do not prepend --conf <env's conf>
	// ios adjusts the streams after the tty flags are set (for example a
	// terminal on stdin only).
	ios func(*IOStreams)
}

// result is what a person would see: the exit code and both streams.
type result struct {
	code   int
	stdout string
	stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

func (e *testEnv) run(args ...string) result {
	e.t.Helper()
	return e.runWith(runOpts{}, args...)
}

// runWith runs `mkr [--conf <conf>] args...` in-process.
func (e *testEnv) runWith(o runOpts, args ...string) result {
	e.t.Helper()
	return e.runCtx(e.t.Context(), o, args...)
}

func (e *testEnv) runCtx(ctx context.Context, o runOpts, args ...string) result {
	e.t.Helper()
	f, out, errOut := e.factory(o)
	argv := []string{"mkr"}
	if !o.noConf {
		argv = append(argv, "--conf", e.conf)
	}
	for _, a := range args {
		argv = append(argv, e.expand(a))
	}
	code := Run(ctx, f, argv)
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// factory builds the Factory of one run, as Main would but with test IO.
func (e *testEnv) factory(o runOpts) (*Factory, *twBuffer, *twBuffer) {
	ios, in, _, _ := TestIO()
	in.WriteString(o.stdin)
	out, errOut := &twBuffer{}, &twBuffer{}
	ios.Out, ios.ErrOut = out, errOut
	ios.StdinTTY, ios.StdoutTTY, ios.StderrTTY = o.tty, o.tty, o.tty
	if o.ios != nil {
		o.ios(ios)
	}
	env := maps.Clone(e.vars)
	maps.Copy(env, o.env)
	f := NewFactory(ios, func(k string) string { return env[k] })
	f.BackendOpener = testBackendOpener
	f.Now = func() time.Time { return testNow }
	f.Location = jst
	f.Version, f.Revision = "1.2.3-test", "0123abcd"
	f.Prompter = o.prompter
	if f.Prompter == nil {
		f.Prompter = unexpectedPrompter{e.t}
	}
	return f, out, errOut
}

// expand replaces {name} placeholders with the ids recorded in e.names.
func (e *testEnv) expand(s string) string {
	pairs := make([]string, 0, 2*len(e.names))
	for k, v := range e.names {
		pairs = append(pairs, "{"+k+"}", v)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// want is the expected outcome of a run; stdout and stderr are compared
// byte for byte after expand.
type want struct {
	code   int
	stdout string
	stderr string
}

func (e *testEnv) check(r result, w want) {
	e.t.Helper()
	e.checkT(e.t, r, w)
}

// checkT reports a mismatch on t (a subtest of the env's test).
func (e *testEnv) checkT(t *testing.T, r result, w want) {
	t.Helper()
	w.stdout, w.stderr = e.expand(w.stdout), e.expand(w.stderr)
	if r.code != w.code || r.stdout != w.stdout || r.stderr != w.stderr {
		t.Errorf("got:\n%s\nwant:\n%s", r, result{w.code, w.stdout, w.stderr})
	}
}

// mustRun runs args, requires exit 0 and returns stdout.
func (e *testEnv) mustRun(args ...string) string {
	e.t.Helper()
	r := e.run(args...)
	if r.code != 0 {
		e.t.Fatalf("mkr %s:\n%s", strings.Join(args, " "), r)
	}
	return r.stdout
}

// createHost runs `mkr create` and records the new id under name.
func (e *testEnv) createHost(name string, args ...string) string {
	e.t.Helper()
	id := strings.TrimSuffix(e.mustRun(append(append([]string{"create"}, args...), name)...), "\n")
	if id == "" || strings.ContainsAny(id, " \n") {
		e.t.Fatalf("create %s printed %q, want one id", name, id)
	}
	e.names[name] = id
	return id
}

// seedHost registers a host straight through the API (for fields mkr
// create cannot set, such as interfaces and meta) and records its id.
func (e *testEnv) seedHost(p client.CreateHostParam) string {
	e.t.Helper()
	id, err := e.apiClient().CreateHost(e.t.Context(), &p)
	if err != nil {
		e.t.Fatal(err)
	}
	e.names[p.Name] = id
	return id
}

// apiClient is a client on the env's database through the real backend.
func (e *testEnv) apiClient() *client.Client {
	e.t.Helper()
	if e.seed != nil {
		return e.seed
	}
	st := e.openStore()
	c, err := client.New(client.Options{
		BaseURL:   "http://seed.local",
		Transport: client.NewInProcessTransport(backend.New(st, backend.Options{}).Handler()),
	})
	if err != nil {
		e.t.Fatal(err)
	}
	e.seed = c
	return c
}

// openStore opens the env's database with the test clock; it is closed
// when the test ends.
func (e *testEnv) openStore() *store.Store {
	e.t.Helper()
	st, err := store.Open(e.t.Context(), e.dbPath(), store.Options{Now: func() time.Time { return testNow }})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { st.Close() })
	return st
}

// helpOf returns what `mkr <path> --help` prints: usage errors must show
// exactly this on stderr.
func (e *testEnv) helpOf(path ...string) string {
	e.t.Helper()
	r := e.run(append(path, "--help")...)
	if r.code != 0 || r.stdout == "" || r.stderr != "" {
		e.t.Fatalf("mkr %s --help:\n%s", strings.Join(path, " "), r)
	}
	return r.stdout
}

// fakePrompter answers every question with answer and records them.
type fakePrompter struct {
	answer    bool
	questions []string
	defaults  []bool
}

func (p *fakePrompter) Confirm(question string, defaultYes bool) (bool, error) {
	p.questions = append(p.questions, question)
	p.defaults = append(p.defaults, defaultYes)
	return p.answer, nil
}

// unexpectedPrompter fails the test: nobody should have been asked.
type unexpectedPrompter struct{ t *testing.T }

func (p unexpectedPrompter) Confirm(question string, _ bool) (bool, error) {
	p.t.Errorf("unexpected prompt: %q", question)
	return false, fmt.Errorf("unexpected prompt")
}

// logLine is one stderr log line as mkr writes it: the prefix right-aligned
// to 10 columns, coloured (bold green, yellow for warnings, red for errors)
// only when stderr is a terminal.
func logLine(tty bool, prefix, msg string) string {
	p := fmt.Sprintf("%10s", prefix)
	if tty {
		color := "\x1b[1m\x1b[32m"
		switch prefix {
		case "error":
			color = "\x1b[1m\x1b[31m"
		case "warning":
			color = "\x1b[1m\x1b[33m"
		}
		p = color + p + "\x1b[0m"
	}
	return p + " " + msg + "\n"
}

// ttyName names a subtest variant.
func ttyName(tty bool) string {
	if tty {
		return "tty"
	}
	return "pipe"
}

// apiRequest is one request the recording API server received.
type apiRequest struct {
	Method string
	Path   string // with the query
	Header http.Header
	Body   string
}

func (r apiRequest) String() string { return r.Method + " " + r.Path + " " + r.Body }

// recordingAPI is the real backend handler over the env's database, served
// over HTTP by httptest, remembering every request it answered.
type recordingAPI struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []apiRequest
}

func (e *testEnv) startAPI() *recordingAPI {
	e.t.Helper()
	h := backend.New(e.openStore(), backend.Options{}).Handler()
	a := &recordingAPI{}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		a.mu.Lock()
		a.reqs = append(a.reqs, apiRequest{r.Method, r.URL.RequestURI(), r.Header.Clone(), string(body)})
		a.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		w.Header()["Date"] = nil // deterministic DEBUG dumps
		h.ServeHTTP(w, r)
	}))
	e.t.Cleanup(a.Close)
	return a
}

// requests returns what was received so far and forgets it.
func (a *recordingAPI) requests() []apiRequest {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := a.reqs
	a.reqs = nil
	return out
}

// runRemote runs `mkr --apibase base args...` in remote mode: key (when
// not empty) is MACKEREL_APIKEY.
func (e *testEnv) runRemote(base, key string, o runOpts, args ...string) result {
	e.t.Helper()
	env := map[string]string{}
	maps.Copy(env, o.env)
	if key != "" {
		env["MACKEREL_APIKEY"] = key
	}
	o.env = env
	return e.runWith(o, append([]string{"--apibase", base}, args...)...)
}
