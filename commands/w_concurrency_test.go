package commands

import (
	"context"
	"fmt"
	"os/exec"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/client"
)

// twWrapMany starts n `mkr wrap` processes at once on e's database, job i
// being `false` when i is even and `true --auto-close` (a first success,
// reported OK) when odd, and waits for all of them. It returns each run's
// result and the wall time from the first start to the last exit.
func twWrapMany(t testing.TB, e *twEnv, n int, hostArgs ...string) ([]twResult, time.Duration) {
	t.Helper()
	cmds := make([]*exec.Cmd, n)
	outs := make([][2]*twBuffer, n)
	for i := range n {
		job := []string{"false"}
		if i%2 == 1 {
			job = []string{"--auto-close", "--", "true"}
		}
		args := append(append([]string{"wrap", "-n", fmt.Sprintf("job-%03d", i)}, hostArgs...), job...)
		cmd, out, errOut := e.command(args...)
		cmds[i], outs[i] = cmd, [2]*twBuffer{out, errOut}
	}
	results := make([]twResult, n)
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
			results[i] = twResult{code: cmd.ProcessState.ExitCode(), stdout: outs[i][0].String(), stderr: outs[i][1].String()}
		})
	}
	wg.Wait()
	return results, time.Since(start)
}

// TestWWrapConcurrent runs 100 `mkr wrap` processes at once on one local
// database: every report is recorded and no process reports an error.
func TestWWrapConcurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 100 processes")
	}
	const n = 100
	for _, mode := range []string{"pre-created --host", "auto-registered host on a new database"} {
		t.Run(mode, func(t *testing.T) {
			e := twNewEnv(t)
			twMkrBinary(t) // build before the clock starts
			var hostArgs []string
			if mode == "pre-created --host" {
				hostArgs = []string{"--host", e.createHost("batch01")}
			}
			results, wall := twWrapMany(t, e, n, hostArgs...)
			t.Logf("%d concurrent mkr wrap processes (%s) finished in %s", n, mode, wall.Round(time.Millisecond))

			for i, r := range results {
				want := twResult{}
				if i%2 == 0 {
					want = twResult{code: 1, stderr: "command exited with code: 1\n"}
				}
				if r != want {
					t.Errorf("process %d:\n%s", i, r)
				}
			}

			hosts := e.hosts()
			if len(hosts) != 1 {
				t.Fatalf("%d hosts, want 1", len(hosts))
			}
			alerts := e.alerts(false)
			if len(alerts) != n/2 {
				t.Errorf("%d open alerts, want %d (one per failing job)", len(alerts), n/2)
			}
			e.inspect(func(ctx context.Context, cl *client.Client) {
				monitors, err := cl.FindCheckMonitors(ctx)
				if err != nil {
					t.Fatal(err)
				}
				statuses, err := cl.ListMonitoredStatuses(ctx, hosts[0].ID)
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
		})
	}
}
