package check_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// status-drift exits like a check plugin: OK while every parked host is
// within its limits, WARNING past a --warning-* age, CRITICAL past a
// --max-* age, naming the hosts on one line; the same with or without a
// terminal.
func TestStatusDrift(t *testing.T) {
	e := cmdtest.New(t)
	limits := []string{"checks", "status-drift", "--warning-standby", "1h", "--max-standby", "2h", "--max-maintenance", "1d"}
	e.Check(e.Run(limits...), cmdtest.Want{Stdout: "OK: no host in standby or maintenance\n"})

	e.CreateHost("web")
	e.CreateHost("img", "--st", "standby")
	e.CreateHost("lab", "--st", "maintenance")
	e.Clock.Advance(30 * time.Minute)
	e.Check(e.Run(limits...), cmdtest.Want{Stdout: "OK: 2 hosts in standby or maintenance, none past its limit\n"})

	e.Clock.Advance(time.Hour) // img: 1h30m in standby
	for _, tty := range []bool{false, true} {
		e.Check(e.RunWith(cmdtest.RunOpts{TTY: tty}, limits...), cmdtest.Want{Code: 1,
			Stdout: "WARNING: 1 host left too long: img ({img}) in standby for 1h30m (warning 1h)\n"})
	}

	// A status change restarts the clock: web goes to standby now, lab to
	// working and back to maintenance later.
	e.MustRun("update", "--st", "standby", "{web}")
	e.Clock.Advance(23 * time.Hour)
	e.MustRun("update", "--st", "working", "{lab}")
	e.MustRun("update", "--st", "maintenance", "{lab}")
	e.Clock.Advance(2 * time.Hour) // img 26h30m, web 25h, lab 2h
	e.Check(e.Run(limits...), cmdtest.Want{Code: 2,
		Stdout: "CRITICAL: 2 hosts left too long: img ({img}) in standby for 1d2h30m (max 2h), web ({web}) in standby for 1d1h (max 2h)\n"})
	// Only the statuses given a limit are checked.
	e.Check(e.Run("checks", "status-drift", "--max-maintenance", "1h"), cmdtest.Want{Code: 2,
		Stdout: "CRITICAL: 1 host left too long: lab ({lab}) in maintenance for 2h (max 1h)\n"})
	e.Check(e.Run("checks", "status-drift", "--max-maintenance", "3h"), cmdtest.Want{
		Stdout: "OK: 1 host in maintenance, none past its limit\n"})
}

func TestStatusDriftUsage(t *testing.T) {
	e := cmdtest.New(t)
	hint := "Run 'mkr checks status-drift --help' for usage.\n"
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{nil, "give at least one limit: --max-standby, --max-maintenance or a --warning-* variant"},
		{[]string{"--max-standby", "2x"}, `--max-standby: want a positive age such as 2h or 1d, got "2x"`},
		{[]string{"--max-standby", "0s"}, `--max-standby: want a positive age such as 2h or 1d, got "0s"`},
		{[]string{"--warning-maintenance", "2d", "--max-maintenance", "1d"}, "--warning-maintenance (2d) is longer than --max-maintenance (1d)"},
		{[]string{"--max-standby", "1h", "web"}, `status-drift takes no arguments, got "web"`},
	} {
		e.Check(e.Run(append([]string{"checks", "status-drift"}, tt.args...)...), cmdtest.Want{Code: 1,
			Stderr: "     error " + tt.msg + "\n" + hint})
	}
}

// Against an API that does not record status changes (the hosted one) the
// check cannot judge: UNKNOWN, exit 3, naming the hosts. An unreachable API
// is UNKNOWN too.
func TestStatusDriftUnknown(t *testing.T) {
	e := cmdtest.New(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("status") == "" {
			t.Errorf("the check asked for hosts of every status: %s", r.URL)
		}
		io.WriteString(w, `{"hosts":[{"id":"h1","name":"img","size":"standard","status":"standby","memo":"",`+
			`"roles":{},"isRetired":false,"createdAt":1714979289,"meta":{},"interfaces":[]}]}`)
	}))
	defer srv.Close()
	e.Check(e.RunRemote(srv.URL, "key", cmdtest.RunOpts{}, "checks", "status-drift", "--max-standby", "2h"), cmdtest.Want{Code: 3,
		Stdout: "UNKNOWN: the API does not say when the status of img changed (only mkr's backend records it)\n"})

	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":{"message":"Authentication failed"}}`, http.StatusForbidden)
	}))
	defer down.Close()
	r := e.RunRemote(down.URL, "key", cmdtest.RunOpts{}, "checks", "status-drift", "--max-standby", "2h")
	e.Check(r, cmdtest.Want{Code: 3, Stdout: "UNKNOWN: API request failed: Authentication failed\n"})
}
