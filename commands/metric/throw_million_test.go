package metric_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

const (
	million       = 1_000_000
	millionSeries = 100
)

// TestThrowMillionLines streams 1,000,000 generated lines (100 series,
// 10,000 points each, 8 s apart within the last 24 h) through an io.Pipe
// into `mkr throw` and checks that every point was stored with its value.
//
// It runs in-process (about 20 s). Under the race detector the embedded
// SQLite alone ingests only ~3,500 points/s (several minutes for this
// test), so there the same input goes to a separately built mkr process
// instead; the smaller throw tests still run in-process under -race.
func TestThrowMillionLines(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000,000-line throw skipped in -short mode")
	}
	e := cmdtest.New(t)
	id := seedHost(e, "big")
	var r cmdtest.Result
	var err error
	var end time.Time
	if !raceEnabled {
		end = cmdtest.Epoch
		pr, pw := io.Pipe()
		genErr := make(chan error, 1)
		go func() { genErr <- writeLines(pw, million, millionSeries, "m", end) }()
		r = e.RunWith(cmdtest.RunOpts{In: pr}, "throw", "--host", id)
		pr.CloseWithError(io.ErrClosedPipe) // unblocks the writer if throw stopped early
		err = <-genErr
	} else {
		bin := cmdtest.Binary(t)
		end = time.Now()
		cmd := exec.Command(bin, "throw", "--host", id)
		cmd.Env = e.ProcEnv()
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		w, perr := cmd.StdinPipe()
		if perr != nil {
			t.Fatal(perr)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		genErr := make(chan error, 1)
		go func() { genErr <- writeLines(w, million, millionSeries, "m", end) }()
		werr := cmd.Wait()
		err = <-genErr
		r = cmdtest.Result{Code: cmd.ProcessState.ExitCode(), Stdout: stdout.String(), Stderr: stderr.String()}
		if werr != nil && r.Code == 0 {
			t.Fatalf("mkr throw: %v", werr)
		}
	}
	if err != nil {
		t.Fatalf("generator: %v\n%s", err, r)
	}
	// A local mkr process logs "thrown" with colour only on a terminal.
	want := regexp.MustCompile(fmt.Sprintf(`^ *thrown %d values to %s\n$`, million, id))
	if r.Code != 0 || r.Stdout != "" || !want.MatchString(r.Stderr) {
		t.Fatalf("got:\n%s\nwant exit 0 and stderr matching %s", r, want)
	}
	checkMillion(t, e, id, end)
}

// checkMillion verifies what writeLines(…, million, millionSeries,
// "m", end) thrown to host id left in the store.
func checkMillion(tb testing.TB, e *cmdtest.Env, id string, end time.Time) {
	tb.Helper()
	if n := countPoints(e); n != million {
		tb.Fatalf("stored %d points, want %d", n, million)
	}
	names, err := e.Store().MetricNames(context.Background(), "host", id)
	if err != nil {
		tb.Fatal(err)
	}
	if len(names) != millionSeries || names[0] != "custom.m0" || names[len(names)-1] != "custom.m99" {
		tb.Fatalf("metric names: %d, first %q, last %q; want %d, custom.m0 … custom.m99", len(names), names[0], names[len(names)-1], millionSeries)
	}
	// Series m<k> holds k, k+100, k+200, … at first+200, first+208, …
	first := end.Add(-24*time.Hour).Unix() + 200
	const perSeries = million / millionSeries
	for _, k := range []int{0, 57, 99} {
		pts := points(e, store.HostSeries(id, fmt.Sprintf("custom.m%d", k)))
		if len(pts) != perSeries {
			tb.Fatalf("custom.m%d has %d points, want %d", k, len(pts), perSeries)
		}
		for j, p := range pts {
			if p.Value != float64(k+j*millionSeries) || p.Time != first+int64(j)*8 {
				tb.Fatalf("custom.m%d point %d = %v at %d, want %d at %d", k, j, p.Value, p.Time, k+j*millionSeries, first+int64(j)*8)
			}
		}
	}
}
