package commands

import (
	"context"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"
)

// servedAPI is a runServe started in a goroutine on a loopback port.
type servedAPI struct {
	base   string // http://127.0.0.1:<port>
	stderr *twBuffer
	cancel context.CancelFunc
	done   chan error
}

// startServe runs runServe on 127.0.0.1:0 over the env's database and
// waits until it listens. stop must be called (it is also a cleanup).
func (e *testEnv) startServe(opts serveOptions) *servedAPI {
	e.t.Helper()
	if opts.Listen == "" {
		opts.Listen = "127.0.0.1:0"
	}
	f, _, errOut := e.factory(runOpts{})
	ctx, cancel := context.WithCancel(e.t.Context())
	addrs := make(chan net.Addr, 1)
	opts.ready = func(a net.Addr) { addrs <- a }
	s := &servedAPI{stderr: errOut, cancel: cancel, done: make(chan error, 1)}
	go func() {
		err := runServe(ctx, f, opts)
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
		e.t.Fatalf("runServe returned before listening: %v", err)
	case <-time.After(30 * time.Second):
		cancel()
		e.t.Fatal("runServe did not listen within 30s")
	}
	e.t.Cleanup(func() { s.stop() })
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
func (e *testEnv) newKey(args ...string) (key, id string) {
	e.t.Helper()
	r := e.run(append([]string{"serve", "keys", "create"}, args...)...)
	m := regexp.MustCompile(`^   created API key (\w+) \((read-write|read-only)\)\n$`).FindStringSubmatch(r.stderr)
	if r.code != 0 || !keyRe.MatchString(r.stdout) || m == nil {
		e.t.Fatalf("serve keys create:\n%s", r)
	}
	return strings.TrimSuffix(r.stdout, "\n"), m[1]
}

func TestServeKeys(t *testing.T) {
	e := newTestEnv(t)
	e.runSteps(t, []step{
		{name: "none", args: []string{"serve", "keys", "list"}, want: want{stdout: "[]\n"}},
		{name: "none on a terminal", opts: runOpts{tty: true}, args: []string{"serve", "keys", "list"}, want: want{
			stdout: "ID   NAME   ACCESS   CREATED AT   REVOKED AT\n",
		}},
	})
	_, rw := e.newKey("--name", "ci")
	_, ro := e.newKey("--read-only")
	e.names["rw"], e.names["ro"] = rw, ro
	e.runSteps(t, []step{
		{name: "list", args: []string{"serve", "keys", "list"}, want: want{stdout: `[
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
		{name: "revoke", opts: runOpts{tty: true}, args: []string{"serve", "keys", "revoke", "{ro}"}, want: want{stderr: logLine(true, "revoked", "API key {ro}")}},
		{name: "revoke quietly", args: []string{"serve", "keys", "revoke", "-q", "{rw}"}, want: want{}},
		{name: "revoke twice", args: []string{"serve", "keys", "revoke", "{ro}"}, want: want{
			code: 1, stderr: logLine(false, "error", "not found: no active API key with id {ro}"),
		}},
		{name: "revoke without an id", args: []string{"serve", "keys", "revoke"}, want: want{
			code: 1, stderr: e.helpOf("serve", "keys", "revoke") + logLine(false, "error", "keys revoke needs exactly one <keyId>"),
		}},
		{name: "list revoked", opts: runOpts{tty: true}, args: []string{"serve", "keys", "list"}, want: want{
			stdout: "ID            NAME   ACCESS       CREATED AT            REVOKED AT\n" +
				"{rw}   ci     read-write   2024-05-06 16:08:09   2024-05-06 16:08:09\n" +
				"{ro}          read-only    2024-05-06 16:08:09   2024-05-06 16:08:09\n",
		}},
	})
}

// Remote-mode commands against `mkr serve`: full keys write, read-only keys
// read, anything else is refused.
func TestServeEndToEnd(t *testing.T) {
	e := newTestEnv(t)
	full, fullID := e.newKey("--name", "full")
	readOnly, _ := e.newKey("--read-only")
	srv := e.startServe(serveOptions{})
	base := srv.base
	e.names["db"], e.names["base"] = e.dbPath(), base

	denied := logLine(false, "error", "API request failed: Authentication failed. Please try with valid Api Key.")
	forbidden := logLine(false, "error", "API request failed: This API key does not have write permission.")
	// A client env with no database of its own: everything goes remote.
	c := newTestEnv(t)
	c.names = e.names
	remote := func(key string, args ...string) result { return c.runRemote(base, key, runOpts{}, args...) }

	r := remote(full, "create", "--st", "standby", "web")
	c.names["web"] = strings.TrimSuffix(r.stdout, "\n")
	c.check(r, want{stdout: "{web}\n", stderr: logLine(false, "created", "{web}") + logLine(false, "updated", "{web} standby")})

	tests := []struct {
		name string
		key  string
		args []string
		want want
	}{
		{"full key reads", full, []string{"hosts", "--jq", ".[] | .name + \" \" + .status"}, want{stdout: "web standby\n"}},
		{"full key writes metadata", full, []string{"metadata", "put", "-H", "{web}", "ns", `{"a":1}`}, want{stderr: logLine(false, "updated", "metadata ns")}},
		{"full key creates a service", full, []string{"services", "create", "svc", "--jq", ".name"}, want{stdout: "svc\n", stderr: logLine(false, "created", "service svc")}},
		{"org names the server", full, []string{"org", "--jq", ".name"}, want{stdout: "local\n", stderr: logLine(false, "info", "backend: {base}")}},

		{"read-only key reads", readOnly, []string{"status", "{web}", "--jq", ".name"}, want{stdout: "web\n"}},
		{"read-only key reads metadata", readOnly, []string{"metadata", "get", "-H", "{web}", "ns", "--jq", ".a"}, want{stdout: "1\n"}},
		{"read-only key cannot create", readOnly, []string{"create", "db"}, want{code: 1, stderr: forbidden}},
		{"read-only key cannot update", readOnly, []string{"update", "--memo", "x", "{web}"}, want{code: 1, stderr: forbidden}},
		{"read-only key cannot retire", readOnly, []string{"retire", "--force", "{web}"}, want{code: 1, stderr: forbidden}},
		{"read-only key cannot delete metadata", readOnly, []string{"metadata", "delete", "--force", "-H", "{web}", "ns"}, want{code: 1, stderr: forbidden}},

		{"no key", "", []string{"hosts"}, want{code: 1, stderr: denied}},
		{"wrong key", "mkr_wrong", []string{"hosts"}, want{code: 1, stderr: denied}},
		{"wrong key cannot write", full + "x", []string{"create", "db"}, want{code: 1, stderr: denied}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { c.checkT(t, remote(tt.key, tt.args...), tt.want) })
	}

	// A revoked key is refused from the next request on.
	e.check(e.run("serve", "keys", "revoke", fullID), want{stderr: logLine(false, "revoked", "API key "+fullID)})
	c.check(remote(full, "hosts"), want{code: 1, stderr: denied})
	c.check(remote(readOnly, "hosts", "--jq", "length"), want{stdout: "1\n"})

	// Nothing the refused requests asked for happened.
	e.check(e.run("hosts", "--jq", ".[] | [.name, .status, .memo] | join(\" \")", "-v"), want{stdout: "web standby \n"})
	// The client's own database was never used.
	c.check(c.run("--local", "hosts", "--jq", "length"), want{stdout: "0\n"})

	if err := srv.stop(); err != nil {
		t.Errorf("runServe after cancel: %v, want nil", err)
	}
	if got := srv.stderr.String(); got != e.expand(logLine(false, "info", "serving {db} on {base}")+logLine(false, "info", "stopped")) {
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
func (e *testEnv) runServeCLI(o runOpts, args ...string) (base string, stop func() result) {
	e.t.Helper()
	f, out, errOut := e.factory(o)
	ctx, cancel := context.WithCancel(e.t.Context())
	done := make(chan int, 1)
	argv := append([]string{"mkr", "--conf", e.conf, "serve", "--listen", "127.0.0.1:0"}, args...)
	go func() { done <- Run(ctx, f, argv) }()
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
			e.t.Fatalf("mkr serve exited: %s", result{code, out.String(), errOut.String()})
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			e.t.Fatalf("mkr serve did not listen: %s", errOut.String())
		}
	}
	stopped := false
	stop = func() result {
		if !stopped {
			stopped = true
			cancel()
		}
		return result{<-done, out.String(), errOut.String()}
	}
	e.t.Cleanup(func() {
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
			e := newTestEnv(t)
			e.names["db"] = e.dbPath()
			readOnly, _ := e.newKey("--read-only")
			base, stop := e.runServeCLI(runOpts{env: tt.env}, tt.args...)
			c := newTestEnv(t)
			r := c.runRemote(base, "flag-key", runOpts{}, "create", "web")
			c.names["web"] = strings.TrimSuffix(r.stdout, "\n")
			c.check(r, want{stdout: "{web}\n", stderr: logLine(false, "created", "{web}")})
			c.check(c.runRemote(base, readOnly, runOpts{}, "hosts", "--jq", ".[].id"), want{stdout: "{web}\n"})
			c.check(c.runRemote(base, "other-key", runOpts{}, "hosts"), want{
				code: 1, stderr: logLine(false, "error", "API request failed: Authentication failed. Please try with valid Api Key."),
			})
			e.names["base"] = base
			e.check(stop(), want{stderr: logLine(false, "info", "serving {db} on {base}") + logLine(false, "info", "stopped")})
		})
	}
}

// Without any key, mkr serve only listens on loopback, unauthenticated.
func TestServeWithoutKeys(t *testing.T) {
	refusal := `refusing to serve on %s without an API key: pass --api-key, set MKR_SERVE_API_KEY, or run "mkr serve keys create"`
	for _, addr := range []string{"0.0.0.0:0", "[::]:0", "192.0.2.1:0"} {
		t.Run("refuses "+addr, func(t *testing.T) {
			e := newTestEnv(t)
			f, _, errOut := e.factory(runOpts{})
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			err := runServe(ctx, f, serveOptions{Listen: addr, ready: func(a net.Addr) {
				t.Errorf("listening on %s without a key", a)
				cancel()
			}})
			f.Close()
			if err == nil || err.Error() != strings.Replace(refusal, "%s", addr, 1) || errOut.String() != "" {
				t.Errorf("runServe: %v, stderr %q", err, errOut.String())
			}
		})
	}
	t.Run("refuses through the CLI", func(t *testing.T) {
		e := newTestEnv(t)
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		e.check(e.runCtx(ctx, runOpts{tty: true}, "serve", "--listen", "0.0.0.0:0"), want{
			code: 1, stderr: logLine(true, "error", strings.Replace(refusal, "%s", "0.0.0.0:0", 1)),
		})
	})
	t.Run("revoked keys do not count", func(t *testing.T) {
		e := newTestEnv(t)
		_, id := e.newKey()
		e.mustRun("serve", "keys", "revoke", id)
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		e.check(e.runCtx(ctx, runOpts{}, "serve", "--listen", "0.0.0.0:0"), want{
			code: 1, stderr: logLine(false, "error", strings.Replace(refusal, "%s", "0.0.0.0:0", 1)),
		})
	})
	t.Run("open on loopback", func(t *testing.T) {
		e := newTestEnv(t)
		e.names["db"] = e.dbPath()
		srv := e.startServe(serveOptions{})
		e.names["base"] = srv.base
		c := newTestEnv(t)
		r := c.runWith(runOpts{}, "--apibase", srv.base, "create", "web")
		c.names["web"] = strings.TrimSuffix(r.stdout, "\n")
		c.check(r, want{stdout: "{web}\n", stderr: logLine(false, "created", "{web}")})
		c.check(c.runRemote(srv.base, "any-key", runOpts{}, "hosts", "--jq", ".[].name"), want{stdout: "web\n"})

		// Creating a key turns authentication on without a restart.
		key, _ := e.newKey()
		if r := c.runRemote(srv.base, "any-key", runOpts{}, "hosts"); r.code != 1 || !strings.Contains(r.stderr, "Authentication failed") {
			t.Errorf("a wrong key after a key was created:\n%s", r)
		}
		c.check(c.runRemote(srv.base, key, runOpts{}, "hosts", "--jq", ".[].name"), want{stdout: "web\n"})
		if err := srv.stop(); err != nil {
			t.Errorf("runServe after cancel: %v, want nil", err)
		}
		e.check(result{stdout: "", stderr: srv.stderr.String()}, want{stderr: logLine(false, "warning",
			"no API key configured: accepting unauthenticated requests on loopback 127.0.0.1:0") +
			logLine(false, "info", "serving {db} on {base}") + logLine(false, "info", "stopped")})
	})
}
