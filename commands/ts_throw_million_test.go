package commands

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
)

const (
	tsMillion       = 1_000_000
	tsMillionSeries = 100
)

// TestTSThrowMillionLines streams 1,000,000 generated lines (100 series,
// 10,000 points each, 8 s apart within the last 24 h) through an io.Pipe
// into `mkr throw` and checks that every point was stored with its value.
//
// It runs in-process (about 20 s). Under the race detector the embedded
// SQLite alone ingests only ~3,500 points/s (several minutes for this
// test), so there the same input goes to a separately built mkr process
// instead; the smaller throw tests still run in-process under -race.
func TestTSThrowMillionLines(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000,000-line throw skipped in -short mode")
	}
	e := tsNewEnv(t)
	id := e.host("big")
	var r tsResult
	var err error
	var end time.Time
	if !tsRace {
		end = tsNow
		pr, pw := io.Pipe()
		genErr := make(chan error, 1)
		go func() { genErr <- tsWriteLines(pw, tsMillion, tsMillionSeries, "m", end) }()
		r = e.runIn(pr, "throw", "--host", id)
		pr.CloseWithError(io.ErrClosedPipe) // unblocks the writer if throw stopped early
		err = <-genErr
	} else {
		bin := tsBuildMkr(t)
		end = time.Now()
		cmd := exec.Command(bin, "throw", "--host", id)
		cmd.Env = e.procEnv()
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
		go func() { genErr <- tsWriteLines(w, tsMillion, tsMillionSeries, "m", end) }()
		werr := cmd.Wait()
		err = <-genErr
		r = tsResult{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String()}
		if werr != nil && r.code == 0 {
			t.Fatalf("mkr throw: %v", werr)
		}
	}
	if err != nil {
		t.Fatalf("generator: %v\n%s", err, r)
	}
	// A local mkr process logs "thrown" with colour only on a terminal.
	want := regexp.MustCompile(fmt.Sprintf(`^ *thrown %d values to %s\n$`, tsMillion, id))
	if r.code != 0 || r.stdout != "" || !want.MatchString(r.stderr) {
		t.Fatalf("got:\n%s\nwant exit 0 and stderr matching %s", r, want)
	}
	tsCheckMillion(t, e, id, end)
}

// tsCheckMillion verifies what tsWriteLines(…, tsMillion, tsMillionSeries,
// "m", end) thrown to host id left in the store.
func tsCheckMillion(tb testing.TB, e *tsEnv, id string, end time.Time) {
	tb.Helper()
	if n := e.count(); n != tsMillion {
		tb.Fatalf("stored %d points, want %d", n, tsMillion)
	}
	names, err := e.store.MetricNames(context.Background(), "host", id)
	if err != nil {
		tb.Fatal(err)
	}
	if len(names) != tsMillionSeries || names[0] != "custom.m0" || names[len(names)-1] != "custom.m99" {
		tb.Fatalf("metric names: %d, first %q, last %q; want %d, custom.m0 … custom.m99", len(names), names[0], names[len(names)-1], tsMillionSeries)
	}
	// Series m<k> holds k, k+100, k+200, … at first+200, first+208, …
	first := end.Add(-24*time.Hour).Unix() + 200
	const perSeries = tsMillion / tsMillionSeries
	for _, k := range []int{0, 57, 99} {
		pts := e.points(store.HostSeries(id, fmt.Sprintf("custom.m%d", k)))
		if len(pts) != perSeries {
			tb.Fatalf("custom.m%d has %d points, want %d", k, len(pts), perSeries)
		}
		for j, p := range pts {
			if p.Value != float64(k+j*tsMillionSeries) || p.Time != first+int64(j)*8 {
				tb.Fatalf("custom.m%d point %d = %v at %d, want %d at %d", k, j, p.Value, p.Time, k+j*tsMillionSeries, first+int64(j)*8)
			}
		}
	}
}
