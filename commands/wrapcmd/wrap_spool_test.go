package wrapcmd_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdtest"
	"github.com/mkr-dev/mkr/wrap"
)

// TestWrapSpool: a report that cannot be posted while the API is down is
// spooled, the job's exit code is unaffected, and the spool is delivered
// exactly once — by `mkr wrap --flush` (or the next `mkr wrap`, or `mkr
// checks run --report`), not by other commands on their way.
func TestWrapSpool(t *testing.T) {
	e := cmdtest.New(t)
	remote := cmdtest.RunOpts{Env: map[string]string{"MACKEREL_APIKEY": "test-key"}}

	// A host created through `mkr serve`, which is then stopped.
	srv := serve(e)
	r := e.RunWith(remote, "--apibase", srv.url, "create", "web01")
	if r.Code != 0 {
		t.Fatalf("mkr create through serve:\n%s", r)
	}
	host := strings.TrimSpace(r.Stdout)
	if r := srv.stop(); r.Code != 0 {
		t.Fatalf("stopping mkr serve:\n%s", r)
	}

	// The job fails while nothing listens: mkr still exits with the job's
	// code and keeps the report.
	r = e.RunWith(remote, "--apibase", srv.url, "wrap", "--host", host, "-n", "backup", "--", "sh", "-c", "echo partial; exit 3")
	if r.Code != 3 || r.Stdout != "partial\n" ||
		!strings.Contains(r.Stderr, "warning the report could not be posted and was spooled for a later retry: ") ||
		!strings.HasSuffix(r.Stderr, "\ncommand exited with code: 3\n") {
		t.Fatalf("wrap with the API down:\n%s", r)
	}
	spooled := e.Spooled()
	if len(spooled) != 1 {
		t.Fatalf("spool %s holds %v, want one report", e.SpoolDir(), spooled)
	}
	if info, err := os.Stat(filepath.Join(e.SpoolDir(), spooled[0])); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("spooled report: %v, mode %v; want 0600", err, info.Mode())
	}

	// The API comes back (same database, same address: the spool belongs
	// to that backend). An unrelated command leaves the spool alone; replay
	// is explicit: `mkr wrap --flush` delivers the report.
	e.Clock.Advance(5 * time.Minute)
	srv = serveOn(e, strings.TrimPrefix(srv.url, "http://"))
	r = e.RunWith(remote, "--apibase", srv.url, "hosts", "--jq", ".[].name")
	cmdtest.Equal(t, "mkr hosts", r, cmdtest.Result{Stdout: "web01\n"})
	if got := e.Spooled(); len(got) != 1 {
		t.Fatalf("spool holds %v after mkr hosts, want the one report still", got)
	}
	r = e.RunWith(remote, "--apibase", srv.url, "wrap", "--flush")
	cmdtest.Equal(t, "mkr wrap --flush delivering", r, cmdtest.Result{Stderr: "      info spool: 1 reports sent, 0 dropped, 0 remaining\n"})
	if got := e.Spooled(); len(got) != 0 {
		t.Fatalf("spool still holds %v", got)
	}

	r = e.RunWith(remote, "--apibase", srv.url, "alerts", "--jq", `.[] | [.status, .hostId, .message, .openedAt] | map(tostring) | join(" | ")`)
	cmdtest.Equal(t, "mkr alerts", r, cmdtest.Result{Stdout: "CRITICAL | " + host + " | command exited with code: 3\n% sh -c echo partial; exit 3 | 1714979289\n"})

	// Nothing is left to send, and nothing is sent twice.
	r = e.RunWith(remote, "--apibase", srv.url, "wrap", "--flush")
	cmdtest.Equal(t, "mkr wrap --flush", r, cmdtest.Result{Stderr: "      info spool: 0 reports sent, 0 dropped, 0 remaining\n"})
	r = e.RunWith(remote, "--apibase", srv.url, "alerts", "--with-closed", "--jq", "length")
	cmdtest.Equal(t, "alerts after --flush", r, cmdtest.Result{Stdout: "1\n"})
}

// TestWrapFlush: `mkr wrap --flush` replays the spool on its own, drops
// reports the API would ignore (6 h old or more) and says so. (The spool is
// filled through the wrap package here; TestWrapSpool fills it the real
// way, which takes the client's retries.)
func TestWrapFlush(t *testing.T) {
	e := cmdtest.New(t)
	host := e.CreateHost("web01")
	spool := &wrap.Spool{Dir: e.SpoolDir()}
	for _, rep := range []struct {
		name, status, message string
		age                   time.Duration
	}{
		{"old", "CRITICAL", "command exited with code: 1\n% false", 10 * time.Hour},
		{"new", "WARNING", "command exited with code: 2\n% sh -c exit 2", 5 * time.Hour},
	} {
		report := e.CheckReport(host, rep.name, rep.status, rep.message)
		report.OccurredAt = e.Clock.Now().Add(-rep.age).Unix()
		if err := spool.Add(report); err != nil {
			t.Fatal(err)
		}
	}
	r := e.Run("wrap", "--flush")
	if r.Code != 0 || !strings.Contains(r.Stderr, `   warning dropping spooled report `) ||
		!strings.Contains(r.Stderr, `(check "old"): it occurred at `) ||
		!strings.Contains(r.Stderr, `, 6h0m0s or more ago, and the API would ignore it`) ||
		!strings.HasSuffix(r.Stderr, "      info spool: 1 reports sent, 1 dropped, 0 remaining\n") {
		t.Fatalf("mkr wrap --flush:\n%s", r)
	}
	if got := e.Spooled(); len(got) != 0 {
		t.Fatalf("spool still holds %v", got)
	}
	alerts := e.Alerts(false)
	if len(alerts) != 1 || alerts[0].Status != "WARNING" || alerts[0].Message != "command exited with code: 2\n% sh -c exit 2" {
		t.Fatalf("want only the recent report's alert, got %+v", alerts)
	}

	r = e.Run("wrap", "--flush")
	cmdtest.Equal(t, "second --flush", r, cmdtest.Result{Stderr: "      info spool: 0 reports sent, 0 dropped, 0 remaining\n"})
	r = e.Run("wrap", "--flush", "--", "true")
	if r.Code != 1 || !strings.Contains(r.Stderr, "error --flush runs no command\n") {
		t.Fatalf("--flush with a command:\n%s", r)
	}
}

// A report is spooled, not lost, when the backend cannot even be opened.
func TestWrapSpoolsWhenClientFails(t *testing.T) {
	e := cmdtest.New(t)
	blocker := e.WriteFile("not-a-dir", "x")
	r := e.RunWith(cmdtest.RunOpts{Env: map[string]string{"MKR_DB": filepath.Join(blocker, "mkr.db")}},
		"wrap", "-H", "h1", "-n", "job", "--", "false")
	if r.Code != 1 || !strings.Contains(r.Stderr, "spooled for a later retry") {
		t.Fatalf("wrap with an unopenable database:\n%s", r)
	}
	files, _ := filepath.Glob(filepath.Join(e.StateDir(), "backends", "*", "spool", "*.json"))
	if len(files) != 1 {
		t.Fatalf("spooled files = %v, want one", files)
	}
}
