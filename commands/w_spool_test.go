package commands

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/wrap"
)

// twServer is `mkr serve` on 127.0.0.1 in this process, over e's database.
type twServer struct {
	url  string
	stop func() twResult
}

// serve starts `mkr serve` (runServe, as the command would call it) on a
// free loopback port and returns once it accepts requests.
func (e *twEnv) serve() *twServer { return e.serveOn("127.0.0.1:0") }

// serveOn serves the env's database on addr (host:port).
func (e *twEnv) serveOn(addr string) *twServer {
	e.t.Helper()
	f, out, errOut := e.factory(twOpts{})
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		err := runServe(ctx, f, serveOptions{Listen: addr, ready: func(a net.Addr) { ready <- a }})
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		done <- err
	}()
	s := &twServer{}
	stopped := false
	s.stop = func() twResult {
		if stopped {
			return twResult{}
		}
		stopped = true
		cancel()
		err := <-done
		code := 0
		if err != nil {
			code = 1
		}
		return twResult{code: code, stdout: out.String(), stderr: errOut.String()}
	}
	e.t.Cleanup(func() { s.stop() })
	select {
	case a := <-ready:
		s.url = "http://" + a.String()
	case err := <-done:
		e.t.Fatalf("mkr serve: %v\n%s", err, errOut.String())
	case <-time.After(30 * time.Second):
		e.t.Fatal("mkr serve did not start")
	}
	return s
}

// TestWWrapSpool: a report that cannot be posted while the API is down is
// spooled, the job's exit code is unaffected, and the next mkr command that
// builds a client — any command — delivers it exactly once.
func TestWWrapSpool(t *testing.T) {
	e := twNewEnv(t)
	remote := twOpts{env: map[string]string{"MACKEREL_APIKEY": "test-key"}}

	// A host created through `mkr serve`, which is then stopped.
	srv := e.serve()
	r := e.runWith(remote, "--apibase", srv.url, "create", "web01")
	if r.code != 0 {
		t.Fatalf("mkr create through serve:\n%s", r)
	}
	host := strings.TrimSpace(r.stdout)
	if r := srv.stop(); r.code != 0 {
		t.Fatalf("stopping mkr serve:\n%s", r)
	}

	// The job fails while nothing listens: mkr still exits with the job's
	// code and keeps the report.
	r = e.runWith(remote, "--apibase", srv.url, "wrap", "--host", host, "-n", "backup", "--", "sh", "-c", "echo partial; exit 3")
	if r.code != 3 || r.stdout != "partial\n" ||
		!strings.Contains(r.stderr, "warning the report could not be posted and was spooled for a later retry: ") ||
		!strings.HasSuffix(r.stderr, "\ncommand exited with code: 3\n") {
		t.Fatalf("wrap with the API down:\n%s", r)
	}
	spooled := e.spooled()
	if len(spooled) != 1 {
		t.Fatalf("spool %s holds %v, want one report", e.spoolDir(), spooled)
	}
	if info, err := os.Stat(filepath.Join(e.spoolDir(), spooled[0])); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("spooled report: %v, mode %v; want 0600", err, info.Mode())
	}

	// The API comes back (same database, same address: the spool belongs
	// to that backend); an unrelated command delivers the report on its way.
	e.clock.Advance(5 * time.Minute)
	srv = e.serveOn(strings.TrimPrefix(srv.url, "http://"))
	r = e.runWith(remote, "--apibase", srv.url, "hosts", "--jq", ".[].name")
	twWant(t, "mkr hosts", r, twResult{stdout: "web01\n", stderr: "      info delivered 1 spooled check reports\n"})
	if got := e.spooled(); len(got) != 0 {
		t.Fatalf("spool still holds %v", got)
	}

	r = e.runWith(remote, "--apibase", srv.url, "alerts", "--jq", `.[] | [.status, .hostId, .message, .openedAt] | map(tostring) | join(" | ")`)
	twWant(t, "mkr alerts", r, twResult{stdout: "CRITICAL | " + host + " | command exited with code: 3\n% sh -c echo partial; exit 3 | 1714979289\n"})

	// Nothing is left to send, and nothing is sent twice.
	r = e.runWith(remote, "--apibase", srv.url, "wrap", "--flush")
	twWant(t, "mkr wrap --flush", r, twResult{stderr: "      info spool: 0 reports sent, 0 dropped, 0 remaining\n"})
	r = e.runWith(remote, "--apibase", srv.url, "alerts", "--with-closed", "--jq", "length")
	twWant(t, "alerts after --flush", r, twResult{stdout: "1\n"})
}

// TestWWrapFlush: `mkr wrap --flush` replays the spool on its own, drops
// reports the API would ignore (6 h old or more) and says so. (The spool is
// filled through the wrap package here; TestWWrapSpool fills it the real
// way, which takes the client's retries.)
func TestWWrapFlush(t *testing.T) {
	e := twNewEnv(t)
	host := e.createHost("web01")
	spool := wrap.NewSpool(e.localSpoolStateDir(), nil)
	for _, rep := range []struct {
		name, status, message string
		age                   time.Duration
	}{
		{"old", "CRITICAL", "command exited with code: 1\n% false", 10 * time.Hour},
		{"new", "WARNING", "command exited with code: 2\n% sh -c exit 2", 5 * time.Hour},
	} {
		report := e.check(host, rep.name, rep.status, rep.message)
		report.OccurredAt = e.clock.Now().Add(-rep.age).Unix()
		if err := spool.Add(report); err != nil {
			t.Fatal(err)
		}
	}
	r := e.run("wrap", "--flush")
	if r.code != 0 || !strings.Contains(r.stderr, `   warning dropping spooled report `) ||
		!strings.Contains(r.stderr, `(check "old"): it occurred at `) ||
		!strings.Contains(r.stderr, `, 6h0m0s or more ago, and the API would ignore it`) ||
		!strings.HasSuffix(r.stderr, "      info spool: 1 reports sent, 1 dropped, 0 remaining\n") {
		t.Fatalf("mkr wrap --flush:\n%s", r)
	}
	if got := e.spooled(); len(got) != 0 {
		t.Fatalf("spool still holds %v", got)
	}
	alerts := e.alerts(false)
	if len(alerts) != 1 || alerts[0].Status != "WARNING" || alerts[0].Message != "command exited with code: 2\n% sh -c exit 2" {
		t.Fatalf("want only the recent report's alert, got %+v", alerts)
	}

	r = e.run("wrap", "--flush")
	twWant(t, "second --flush", r, twResult{stderr: "      info spool: 0 reports sent, 0 dropped, 0 remaining\n"})
	r = e.run("wrap", "--flush", "--", "true")
	if r.code != 1 || !strings.Contains(r.stderr, "error --flush runs no command\n") {
		t.Fatalf("--flush with a command:\n%s", r)
	}
}
