package wrapcmd_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// wrapMany starts n `mkr wrap` processes at once on e's database, job i
// being `false` when i is even and `true --auto-close` (a first success,
// reported OK) when odd, and waits for all of them. It returns each run's
// result and the wall time from the first start to the last exit.
func wrapMany(t testing.TB, e *cmdtest.Env, n int, hostArgs ...string) ([]cmdtest.Result, time.Duration) {
	t.Helper()
	cmds := make([]*exec.Cmd, n)
	outs := make([][2]*cmdtest.Buffer, n)
	for i := range n {
		job := []string{"false"}
		if i%2 == 1 {
			job = []string{"--auto-close", "--", "true"}
		}
		args := append(append([]string{"wrap", "-n", fmt.Sprintf("job-%03d", i)}, hostArgs...), job...)
		cmd, out, errOut := e.Command(args...)
		cmds[i], outs[i] = cmd, [2]*cmdtest.Buffer{out, errOut}
	}
	results := make([]cmdtest.Result, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i, cmd := range cmds {
		if err := cmd.Start(); err != nil {
			t.Fatalf("starting process %d: %v", i, err)
		}
	}
	for i, cmd := range cmds {
		wg.Go(func() {
			timer := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
			defer timer.Stop()
			cmd.Wait()
			results[i] = cmdtest.Result{Code: cmd.ProcessState.ExitCode(), Stdout: outs[i][0].String(), Stderr: outs[i][1].String()}
		})
	}
	wg.Wait()
	return results, time.Since(start)
}

// TestWrapConcurrent runs 100 `mkr wrap` processes at once on one local
// database: every report is recorded and no process reports an error.
func TestWrapConcurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 100 processes")
	}
	const n = 100
	for _, mode := range []string{"pre-created --host", "auto-registered host on a new database"} {
		t.Run(mode, func(t *testing.T) {
			e := cmdtest.New(t)
			cmdtest.Binary(t) // build before the clock starts
			var hostArgs []string
			if mode == "pre-created --host" {
				hostArgs = []string{"--host", e.CreateHost("batch01")}
			} else if err := os.Remove(e.DBPath()); err != nil {
				// cmdtest.New made a migrated database: this mode starts
				// without one, so that the processes race to create it.
				t.Fatal(err)
			}
			results, wall := wrapMany(t, e, n, hostArgs...)
			t.Logf("%d concurrent mkr wrap processes (%s) finished in %s", n, mode, wall.Round(time.Millisecond))

			for i, r := range results {
				want := cmdtest.Result{}
				if i%2 == 0 {
					want = cmdtest.Result{Code: 1, Stderr: "command exited with code: 1\n"}
				}
				if r != want {
					t.Errorf("process %d:\n%s", i, r)
				}
			}

			hosts := e.Hosts()
			if len(hosts) != 1 {
				t.Fatalf("%d hosts, want 1", len(hosts))
			}
			alerts := e.Alerts(false)
			if len(alerts) != n/2 {
				t.Errorf("%d open alerts, want %d (one per failing job)", len(alerts), n/2)
			}
			ctx := context.Background()
			monitors, err := e.API().FindCheckMonitors(ctx)
			if err != nil {
				t.Fatal(err)
			}
			statuses, err := e.API().ListMonitoredStatuses(ctx, hosts[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			count := map[string]int{}
			for _, s := range statuses {
				count[s.Status]++
			}
			if len(monitors) != n || count["OK"] != n/2 || count["CRITICAL"] != n/2 {
				names := make([]string, len(monitors))
				for i, m := range monitors {
					names[i] = m.Name
				}
				sort.Strings(names)
				t.Errorf("%d check monitors and statuses %v, want %d monitors, %d OK and %d CRITICAL; monitors: %v",
					len(monitors), count, n, n/2, n/2, names)
			}
		})
	}
}

// TestWrapConcurrentAutoCloseOneCheck starts 20 `mkr wrap --auto-close`
// processes of one check at once, failing and succeeding in turn, then
// runs one more success: whatever order the runs took, the alert ends
// closed. The runs take turns on the check's auto-close state and each
// report gets its own second, so the backend applies the results in the
// order the state recorded them; otherwise an OK could be lost or land
// before a failure, and the state would say "closed" over an open alert.
// (Processes, not in-process runs: the command tree is not safe to run
// concurrently in one process.)
func TestWrapConcurrentAutoCloseOneCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 60 processes")
	}
	const n, rounds = 20, 3
	e := cmdtest.New(t)
	host := e.CreateHost("batch01")
	args := func(job string) []string { return []string{"wrap", "--auto-close", "-H", host, "-n", "job", "--", job} }
	for round := range rounds {
		cmds := make([]*exec.Cmd, n)
		outs := make([][2]*cmdtest.Buffer, n)
		for i := range n {
			job := "true"
			if i%2 == 0 {
				job = "false"
			}
			cmd, out, errOut := e.Command(args(job)...)
			cmds[i], outs[i] = cmd, [2]*cmdtest.Buffer{out, errOut}
		}
		for i, cmd := range cmds {
			if err := cmd.Start(); err != nil {
				t.Fatalf("starting process %d: %v", i, err)
			}
		}
		for i, cmd := range cmds {
			r := cmdtest.Finish(t, cmd, outs[i][0], outs[i][1], 2*time.Minute)
			if r.Code != 1-i%2 || errorLine.MatchString(r.Stderr) {
				t.Fatalf("round %d, process %d:\n%s", round, i, r)
			}
		}
		if r := e.Exec(args("true")...); r.Code != 0 || errorLine.MatchString(r.Stderr) {
			t.Fatalf("round %d, the last success:\n%s", round, r)
		}
		if open := e.Alerts(false); len(open) != 0 {
			t.Fatalf("round %d: %d alerts left open after a final success: %+v", round, len(open), *open[0])
		}
	}
}
