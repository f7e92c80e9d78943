package serve_test

import (
	"context"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/commands"
	"github.com/mkr-dev/mkr/commands/serve"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// servedAPI is a runServe started in a goroutine on a loopback port.
type servedAPI struct {
	base   string // http://127.0.0.1:<port>
	stderr *cmdtest.Buffer
	cancel context.CancelFunc
	done   chan error
}

// startServe runs runServe on 127.0.0.1:0 over the env's database and
// waits until it listens. stop must be called (it is also a cleanup).
func startServe(e *cmdtest.Env) *servedAPI {
	e.T.Helper()
	f, _, errOut := e.Factory(cmdtest.RunOpts{})
	ctx, cancel := context.WithCancel(e.T.Context())
	addrs := make(chan net.Addr, 1)
	s := &servedAPI{stderr: errOut, cancel: cancel, done: make(chan error, 1)}
	go func() {
		err := serve.RunServe(ctx, f, "127.0.0.1:0", func(a net.Addr) { addrs <- a })
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		s.done <- err
	}()
	select {
	case a := <-addrs:
		s.base = "http://" + a.String()
	case err := <-s.done:
		cancel()
		e.T.Fatalf("runServe returned before listening: %v", err)
	case <-time.After(30 * time.Second):
		cancel()
		e.T.Fatal("runServe did not listen within 30s")
	}
	e.T.Cleanup(func() { s.stop() })
	return s
}

// stop cancels the server's context and returns what runServe returned.
func (s *servedAPI) stop() error {
	s.cancel()
	select {
	case err, ok := <-s.done:
		if ok {
			close(s.done)
		}
		return err
	case <-time.After(30 * time.Second):
		return context.DeadlineExceeded
	}
}

var keyRe = regexp.MustCompile(`^mkr_[A-Za-z0-9_-]{43}\n$`)

// newKey runs `mkr serve keys create args...` and returns the key and its id.
func newKey(e *cmdtest.Env, args ...string) (key, id string) {
	e.T.Helper()
	r := e.Run(append([]string{"serve", "keys", "create"}, args...)...)
	m := regexp.MustCompile(`^   created API key (\w+) \((read-write|read-only)\)\n$`).FindStringSubmatch(r.Stderr)
	if r.Code != 0 || !keyRe.MatchString(r.Stdout) || m == nil {
		e.T.Fatalf("serve keys create:\n%s", r)
	}
	return strings.TrimSuffix(r.Stdout, "\n"), m[1]
}

func TestServeKeys(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	e.RunSteps(t, []cmdtest.Step{
		{Name: "none", Args: []string{"serve", "keys", "list"}, Want: cmdtest.Want{Stdout: "[]\n"}},
		{Name: "none on a terminal", Opts: cmdtest.RunOpts{TTY: true}, Args: []string{"serve", "keys", "list"}, Want: cmdtest.Want{
			Stdout: "ID   NAME   ACCESS   CREATED AT   REVOKED AT\n",
		}},
	})
	_, rw := newKey(e, "--name", "ci")
	_, ro := newKey(e, "--read-only")
	e.Names["rw"], e.Names["ro"] = rw, ro
	e.RunSteps(t, []cmdtest.Step{
		{Name: "list", Args: []string{"serve", "keys", "list"}, Want: cmdtest.Want{Stdout: `[
    {
        "id": "{rw}",
        "name": "ci",
        "readOnly": false,
        "createdAt": 1714979289
    },
    {
        "id": "{ro}",
        "name": "",
        "readOnly": true,
        "createdAt": 1714979289
    }
]
`}},
		{Name: "revoke", Opts: cmdtest.RunOpts{TTY: true}, Args: []string{"serve", "keys", "revoke", "{ro}"}, Want: cmdtest.Want{Stderr: cmdtest.LogLine(true, "revoked", "API key {ro}")}},
		{Name: "revoke quietly", Args: []string{"serve", "keys", "revoke", "-q", "{rw}"}, Want: cmdtest.Want{}},
		{Name: "revoke twice", Args: []string{"serve", "keys", "revoke", "{ro}"}, Want: cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(false, "error", "not found: no active API key with id {ro}"),
		}},
		{Name: "revoke without an id", Args: []string{"serve", "keys", "revoke"}, Want: cmdtest.Want{
			Code: 1, Stderr: cmdtest.UsageError(false, "keys revoke needs exactly one <keyId>", "serve", "keys", "revoke"),
		}},
		{Name: "list revoked", Opts: cmdtest.RunOpts{TTY: true}, Args: []string{"serve", "keys", "list"}, Want: cmdtest.Want{
			Stdout: "ID            NAME   ACCESS       CREATED AT            REVOKED AT\n" +
				"{rw}   ci     read-write   2024-05-06 16:08:09   2024-05-06 16:08:09\n" +
				"{ro}          read-only    2024-05-06 16:08:09   2024-05-06 16:08:09\n",
		}},
	})
}

// Remote-mode commands against `mkr serve`: full keys write, read-only keys
// read, anything else is refused.
func TestServeEndToEnd(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	full, fullID := newKey(e, "--name", "full")
	readOnly, _ := newKey(e, "--read-only")
	srv := startServe(e)
	base := srv.base
	e.Names["db"], e.Names["base"] = e.DBPath(), base

	denied := cmdtest.LogLine(false, "error", "API request failed: Authentication failed. Please try with valid Api Key.")
	forbidden := cmdtest.LogLine(false, "error", "API request failed: This API key does not have write permission.")
	// A client env with no database of its own: everything goes remote.
	c := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	c.Names = e.Names
	remote := func(key string, args ...string) cmdtest.Result {
		return c.RunRemote(base, key, cmdtest.RunOpts{}, args...)
	}

	r := remote(full, "create", "--st", "standby", "web")
	c.Names["web"] = strings.TrimSuffix(r.Stdout, "\n")
	c.Check(r, cmdtest.Want{Stdout: "{web}\n", Stderr: cmdtest.LogLine(false, "created", "{web}") + cmdtest.LogLine(false, "updated", "{web} standby")})

	tests := []struct {
		name string
		key  string
		args []string
		want cmdtest.Want
	}{
		{"full key reads", full, []string{"hosts", "--jq", ".[] | .name + \" \" + .status"}, cmdtest.Want{Stdout: "web standby\n"}},
		{"full key writes metadata", full, []string{"metadata", "put", "-H", "{web}", "ns", `{"a":1}`}, cmdtest.Want{Stderr: cmdtest.LogLine(false, "updated", "metadata ns")}},
		{"full key creates a service", full, []string{"services", "create", "svc", "--jq", ".name"}, cmdtest.Want{Stdout: "svc\n", Stderr: cmdtest.LogLine(false, "created", "service svc")}},
		{"org names the server", full, []string{"org", "--jq", ".name"}, cmdtest.Want{Stdout: "local\n", Stderr: cmdtest.LogLine(false, "info", "backend: {base}")}},

		{"read-only key reads", readOnly, []string{"status", "{web}", "--jq", ".name"}, cmdtest.Want{Stdout: "web\n"}},
		{"read-only key reads metadata", readOnly, []string{"metadata", "get", "-H", "{web}", "ns", "--jq", ".a"}, cmdtest.Want{Stdout: "1\n"}},
		{"read-only key cannot create", readOnly, []string{"create", "db"}, cmdtest.Want{Code: 1, Stderr: forbidden}},
		{"read-only key cannot update", readOnly, []string{"update", "--memo", "x", "{web}"}, cmdtest.Want{Code: 1,
			Stderr: cmdtest.LogLine(false, "error", "updating host {web}: API request failed: This API key does not have write permission.")}},
		{"read-only key cannot retire", readOnly, []string{"retire", "--force", "{web}"}, cmdtest.Want{Code: 1,
			Stderr: cmdtest.LogLine(false, "error", "retiring host {web}: API request failed: This API key does not have write permission.")}},
		{"read-only key cannot delete metadata", readOnly, []string{"metadata", "delete", "--force", "-H", "{web}", "ns"}, cmdtest.Want{Code: 1, Stderr: forbidden}},

		{"no key", "", []string{"hosts"}, cmdtest.Want{Code: 1, Stderr: denied}},
		{"wrong key", "mkr_wrong", []string{"hosts"}, cmdtest.Want{Code: 1, Stderr: denied}},
		{"wrong key cannot write", full + "x", []string{"create", "db"}, cmdtest.Want{Code: 1, Stderr: denied}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { c.CheckT(t, remote(tt.key, tt.args...), tt.want) })
	}

	// A revoked key is refused from the next request on.
	e.Check(e.Run("serve", "keys", "revoke", fullID), cmdtest.Want{Stderr: cmdtest.LogLine(false, "revoked", "API key "+fullID)})
	c.Check(remote(full, "hosts"), cmdtest.Want{Code: 1, Stderr: denied})
	c.Check(remote(readOnly, "hosts", "--jq", "length"), cmdtest.Want{Stdout: "1\n"})

	// Nothing the refused requests asked for happened.
	e.Check(e.Run("hosts", "--jq", ".[] | [.name, .status, .memo] | join(\" \")", "-v"), cmdtest.Want{Stdout: "web standby \n"})
	// The client's own database was never used.
	c.Check(c.Run("--local", "hosts", "--jq", "length"), cmdtest.Want{Stdout: "0\n"})

	if err := srv.stop(); err != nil {
		t.Errorf("runServe after cancel: %v, want nil", err)
	}
	if got := srv.stderr.String(); got != e.Expand(cmdtest.LogLine(false, "info", "serving {db} on {base}")+cmdtest.LogLine(false, "info", "stopped")) {
		t.Errorf("serve stderr:\n%s", got)
	}
	if conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://")); err == nil {
		conn.Close()
		t.Error("still listening after shutdown")
	}
}

// runServeCLI runs `mkr serve args...` through the command line in a
// goroutine and returns the base URL it logs; cancel stops it and returns
// the run's result.
func runServeCLI(e *cmdtest.Env, o cmdtest.RunOpts, args ...string) (base string, stop func() cmdtest.Result) {
	e.T.Helper()
	f, out, errOut := e.Factory(o)
	ctx, cancel := context.WithCancel(e.T.Context())
	done := make(chan int, 1)
	argv := append([]string{"mkr", "--conf", e.Conf, "serve", "--listen", "127.0.0.1:0"}, args...)
	go func() { done <- commands.Run(ctx, f, argv) }()
	listening := regexp.MustCompile(` on (http://127\.0\.0\.1:\d+)\n`)
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := listening.FindStringSubmatch(errOut.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case code := <-done:
			cancel()
			e.T.Fatalf("mkr serve exited: %s", cmdtest.Result{Code: code, Stdout: out.String(), Stderr: errOut.String()})
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			e.T.Fatalf("mkr serve did not listen: %s", errOut.String())
		}
	}
	stopped := false
	stop = func() cmdtest.Result {
		if !stopped {
			stopped = true
			cancel()
		}
		return cmdtest.Result{Code: <-done, Stdout: out.String(), Stderr: errOut.String()}
	}
	e.T.Cleanup(func() {
		if !stopped {
			stop()
		}
	})
	return base, stop
}

// --api-key (or MKR_SERVE_API_KEY) is a full-access key besides the
// database's keys.
func TestServeAPIKeyFlag(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"--api-key", nil, []string{"--api-key", "flag-key"}},
		{"MKR_SERVE_API_KEY", map[string]string{"MKR_SERVE_API_KEY": "flag-key"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			e.Names["db"] = e.DBPath()
			readOnly, _ := newKey(e, "--read-only")
			base, stop := runServeCLI(e, cmdtest.RunOpts{Env: tt.env}, tt.args...)
			c := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			r := c.RunRemote(base, "flag-key", cmdtest.RunOpts{}, "create", "web")
			c.Names["web"] = strings.TrimSuffix(r.Stdout, "\n")
			c.Check(r, cmdtest.Want{Stdout: "{web}\n", Stderr: cmdtest.LogLine(false, "created", "{web}")})
			c.Check(c.RunRemote(base, readOnly, cmdtest.RunOpts{}, "hosts", "--jq", ".[].id"), cmdtest.Want{Stdout: "{web}\n"})
			c.Check(c.RunRemote(base, "other-key", cmdtest.RunOpts{}, "hosts"), cmdtest.Want{
				Code: 1, Stderr: cmdtest.LogLine(false, "error", "API request failed: Authentication failed. Please try with valid Api Key."),
			})
			e.Names["base"] = base
			e.Check(stop(), cmdtest.Want{Stderr: cmdtest.LogLine(false, "info", "serving {db} on {base}") + cmdtest.LogLine(false, "info", "stopped")})
		})
	}
}

// Without any key, mkr serve only listens on loopback, unauthenticated.
func TestServeWithoutKeys(t *testing.T) {
	refusal := `refusing to serve on %s without an API key: pass --api-key, set MKR_SERVE_API_KEY, or run "mkr serve keys create"`
	for _, addr := range []string{"0.0.0.0:0", "[::]:0", "192.0.2.1:0"} {
		t.Run("refuses "+addr, func(t *testing.T) {
			e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			f, _, errOut := e.Factory(cmdtest.RunOpts{})
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			err := serve.RunServe(ctx, f, addr, func(a net.Addr) {
				t.Errorf("listening on %s without a key", a)
				cancel()
			})
			f.Close()
			if err == nil || err.Error() != strings.Replace(refusal, "%s", addr, 1) || errOut.String() != "" {
				t.Errorf("runServe: %v, stderr %q", err, errOut.String())
			}
		})
	}
	t.Run("refuses through the CLI", func(t *testing.T) {
		e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		e.Check(e.RunCtx(ctx, cmdtest.RunOpts{TTY: true}, "serve", "--listen", "0.0.0.0:0"), cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(true, "error", strings.Replace(refusal, "%s", "0.0.0.0:0", 1)),
		})
	})
	t.Run("revoked keys do not count", func(t *testing.T) {
		e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
		_, id := newKey(e)
		e.MustRun("serve", "keys", "revoke", id)
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		e.Check(e.RunCtx(ctx, cmdtest.RunOpts{}, "serve", "--listen", "0.0.0.0:0"), cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(false, "error", strings.Replace(refusal, "%s", "0.0.0.0:0", 1)),
		})
	})
	t.Run("open on loopback", func(t *testing.T) {
		e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
		e.Names["db"] = e.DBPath()
		srv := startServe(e)
		e.Names["base"] = srv.base
		c := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
		r := c.RunWith(cmdtest.RunOpts{}, "--apibase", srv.base, "create", "web")
		c.Names["web"] = strings.TrimSuffix(r.Stdout, "\n")
		c.Check(r, cmdtest.Want{Stdout: "{web}\n", Stderr: cmdtest.LogLine(false, "created", "{web}")})
		c.Check(c.RunRemote(srv.base, "any-key", cmdtest.RunOpts{}, "hosts", "--jq", ".[].name"), cmdtest.Want{Stdout: "web\n"})

		// Creating a key turns authentication on without a restart.
		key, _ := newKey(e)
		if r := c.RunRemote(srv.base, "any-key", cmdtest.RunOpts{}, "hosts"); r.Code != 1 || !strings.Contains(r.Stderr, "Authentication failed") {
			t.Errorf("a wrong key after a key was created:\n%s", r)
		}
		c.Check(c.RunRemote(srv.base, key, cmdtest.RunOpts{}, "hosts", "--jq", ".[].name"), cmdtest.Want{Stdout: "web\n"})
		if err := srv.stop(); err != nil {
			t.Errorf("runServe after cancel: %v, want nil", err)
		}
		e.Check(cmdtest.Result{Stdout: "", Stderr: srv.stderr.String()}, cmdtest.Want{Stderr: cmdtest.LogLine(false, "warning",
			"no API key configured: accepting unauthenticated requests on loopback 127.0.0.1:0") +
			cmdtest.LogLine(false, "info", "serving {db} on {base}") + cmdtest.LogLine(false, "info", "stopped")})
	})
}
