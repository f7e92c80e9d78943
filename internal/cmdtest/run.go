package cmdtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/commands"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// RunOpts describe the terminal and the person around one run.
type RunOpts struct {
	TTY   bool      // stdin, stdout and stderr are terminals
	Stdin string    // what stdin holds
	In    io.Reader // stdin as a stream (overrides Stdin)
	// Env is added to (or overrides) the Env's variables.
	Env      map[string]string
	Prompter cmdutil.Prompter // nil: any prompt fails the test
	// Conf is the --conf value: "" the Env's config, "-" no --conf at all.
	Conf string
	// IOS adjusts the streams after the TTY flags are set (for example a
	// terminal on stdin only).
	IOS func(*cmdutil.IOStreams)
}

// Result is what a person would see: the exit code and both streams.
type Result struct {
	Code   int
	Stdout string
	Stderr string
}

func (r Result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.Code, r.Stdout, r.Stderr)
}

// Run runs `mkr --conf <conf> args...` in-process.
func (e *Env) Run(args ...string) Result {
	e.T.Helper()
	return e.RunWith(RunOpts{}, args...)
}

// RunWith runs args in-process with o.
func (e *Env) RunWith(o RunOpts, args ...string) Result {
	e.T.Helper()
	return e.RunCtx(context.Background(), o, args...)
}

// RunCtx runs args in-process under ctx (cancel it to interrupt mkr).
func (e *Env) RunCtx(ctx context.Context, o RunOpts, args ...string) Result {
	e.T.Helper()
	f, out, errOut := e.Factory(o)
	argv := []string{"mkr"}
	switch o.Conf {
	case "":
		argv = append(argv, "--conf", e.Conf)
	case "-":
	default:
		argv = append(argv, "--conf", o.Conf)
	}
	for _, a := range args {
		argv = append(argv, e.Expand(a))
	}
	code := commands.Run(ctx, f, argv)
	return Result{Code: code, Stdout: out.String(), Stderr: errOut.String()}
}

// Factory builds the Factory of one run, as commands.Main would but with
// test streams, the Env's clock and the embedded backend.
func (e *Env) Factory(o RunOpts) (*cmdutil.Factory, *Buffer, *Buffer) {
	ios, in, _, _ := cmdutil.TestIO()
	in.WriteString(o.Stdin)
	if o.In != nil {
		ios.In = o.In
	}
	out, errOut := &Buffer{}, &Buffer{}
	ios.Out, ios.ErrOut = out, errOut
	ios.StdinTTY, ios.StdoutTTY, ios.StderrTTY = o.TTY, o.TTY, o.TTY
	if o.IOS != nil {
		o.IOS(ios)
	}
	env := maps.Clone(e.Vars)
	maps.Copy(env, o.Env)
	f := cmdutil.NewFactory(ios, func(k string) string { return env[k] })
	f.BackendOpener = OpenBackend
	f.Now = e.Clock.Now
	f.Location = e.Location
	f.Version, f.Revision = e.Version, e.Revision
	f.Prompter = o.Prompter
	if f.Prompter == nil {
		f.Prompter = UnexpectedPrompter{e.T}
	}
	return f, out, errOut
}

// OpenBackend is the BackendOpener of test runs: the real backend, as
// cmd/mkr wires it.
func OpenBackend(ctx context.Context, dsn string, now func() time.Time) (cmdutil.EmbeddedBackend, error) {
	b, err := backend.Open(ctx, dsn, backend.Options{Now: now})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Want is the expected outcome of a run; Stdout and Stderr are compared
// byte for byte after Expand.
type Want struct {
	Code   int
	Stdout string
	Stderr string
}

// Check compares r with w on the Env's test.
func (e *Env) Check(r Result, w Want) {
	e.T.Helper()
	e.CheckT(e.T, r, w)
}

// CheckT reports a mismatch on t (a subtest of the Env's test).
func (e *Env) CheckT(t testing.TB, r Result, w Want) {
	t.Helper()
	w.Stdout, w.Stderr = e.Expand(w.Stdout), e.Expand(w.Stderr)
	if r.Code != w.Code || r.Stdout != w.Stdout || r.Stderr != w.Stderr {
		t.Errorf("got:\n%s\nwant:\n%s", r, Result{w.Code, w.Stdout, w.Stderr})
	}
}

// MustRun runs args, requires exit 0 and returns stdout.
func (e *Env) MustRun(args ...string) string {
	e.T.Helper()
	r := e.Run(args...)
	if r.Code != 0 {
		e.T.Fatalf("mkr %s:\n%s", strings.Join(args, " "), r)
	}
	return r.Stdout
}

// CreateHost runs `mkr create [extra...] name` and records the new id
// under name.
func (e *Env) CreateHost(name string, extra ...string) string {
	e.T.Helper()
	id := strings.TrimSuffix(e.MustRun(append(append([]string{"create"}, extra...), name)...), "\n")
	if id == "" || strings.ContainsAny(id, " \n") {
		e.T.Fatalf("create %s printed %q, want one id", name, id)
	}
	e.Names[name] = id
	return id
}

// HelpOf returns what `mkr <path> --help` prints: usage errors must show
// exactly this on stderr.
func (e *Env) HelpOf(path ...string) string {
	e.T.Helper()
	r := e.Run(append(path, "--help")...)
	if r.Code != 0 || r.Stdout == "" || r.Stderr != "" {
		e.T.Fatalf("mkr %s --help:\n%s", strings.Join(path, " "), r)
	}
	return r.Stdout
}

// RunRemote runs `mkr --apibase base args...` in remote mode: key (when
// not empty) is MACKEREL_APIKEY.
func (e *Env) RunRemote(base, key string, o RunOpts, args ...string) Result {
	e.T.Helper()
	env := map[string]string{}
	maps.Copy(env, o.Env)
	if key != "" {
		env["MACKEREL_APIKEY"] = key
	}
	o.Env = env
	return e.RunWith(o, append([]string{"--apibase", base}, args...)...)
}

// Buffer is a bytes.Buffer safe for concurrent writers (a process's
// stdout and stderr copiers, a server's log).
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *Buffer) String() string {
	if b == nil {
		return ""
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// FakePrompter answers every question with Answer and records them.
type FakePrompter struct {
	Answer    bool
	Questions []string
	Defaults  []bool
}

// Confirm records the question and answers it.
func (p *FakePrompter) Confirm(question string, defaultYes bool) (bool, error) {
	p.Questions = append(p.Questions, question)
	p.Defaults = append(p.Defaults, defaultYes)
	return p.Answer, nil
}

// UnexpectedPrompter fails the test: nobody should have been asked.
type UnexpectedPrompter struct{ T testing.TB }

// Confirm fails the test.
func (p UnexpectedPrompter) Confirm(question string, _ bool) (bool, error) {
	p.T.Errorf("unexpected prompt: %q", question)
	return false, fmt.Errorf("unexpected prompt")
}

// LogLine is one stderr log line as mkr writes it: the prefix right-aligned
// to 10 columns, coloured (bold green, yellow for warnings, red for errors)
// only when stderr is a terminal.
func LogLine(tty bool, prefix, msg string) string {
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

// TTYName names a subtest variant.
func TTYName(tty bool) string {
	if tty {
		return "tty"
	}
	return "pipe"
}
