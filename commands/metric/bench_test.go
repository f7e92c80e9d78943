package metric_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/commands"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// procThrow runs `<bin> throw --host id` as a process, its stdin fed with
// n generated lines through a pipe, and returns the process's peak RSS in
// KiB. It fails tb unless every line was thrown.
func procThrow(tb testing.TB, bin string, env []string, id string, n int) int64 {
	tb.Helper()
	cmd := exec.Command(bin, "throw", "--host", id)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	w, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	rss := watchRSS(cmd.Process.Pid)
	genErr := make(chan error, 1)
	go func() { genErr <- writeLines(w, n, 100, "m", time.Now()) }()
	werr := cmd.Wait()
	if err := <-genErr; err != nil || werr != nil {
		tb.Fatalf("mkr throw: %v / generator: %v\n%s", werr, err, stderr.String())
	}
	if want := fmt.Sprintf("thrown %d values to %s\n", n, id); !strings.HasSuffix(stderr.String(), want) {
		tb.Fatalf("mkr throw stderr %q, want …%q", stderr.String(), want)
	}
	return rss()
}

// watchRSS polls the peak resident set (VmHWM in /proc/<pid>/status) of
// a running process until stop is called, and returns stop, which yields
// the largest value seen in KiB. rusage's ru_maxrss cannot be used: Go
// starts children with vfork, and Linux carries the parent's (the test
// binary's) peak across the child's exec.
func watchRSS(pid int) (stop func() int64) {
	var peak atomic.Int64
	done := make(chan struct{})
	finished := make(chan struct{})
	read := func() {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(data), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				var kib int64
				fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), &kib)
				if kib > peak.Load() {
					peak.Store(kib)
				}
			}
		}
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			read()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 {
		close(done)
		<-finished
		return peak.Load()
	}
}

// startServe starts `<bin> serve` on a free loopback port over env's database
// and returns its base URL and a stop function that ends it gracefully and
// returns its peak RSS in KiB.
func startServe(tb testing.TB, bin string, env []string) (string, func() int64) {
	tb.Helper()
	cmd := exec.Command(bin, "serve", "--listen", "127.0.0.1:0")
	cmd.Env = env
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	rss := watchRSS(cmd.Process.Pid)
	addr := make(chan string, 1)
	drained := make(chan string, 1)
	go func() {
		var log strings.Builder
		re := regexp.MustCompile(`serving .* on (http://\S+)`)
		sc := bufio.NewScanner(errPipe)
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		drained <- log.String()
	}()
	var base string
	select {
	case base = <-addr:
	case log := <-drained:
		cmd.Wait()
		tb.Fatalf("mkr serve exited:\n%s", log)
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		tb.Fatal("mkr serve did not start in 30 s")
	}
	stop := func() int64 {
		peak := rss() // before the process is gone
		cmd.Process.Signal(os.Interrupt)
		log := <-drained
		if err := cmd.Wait(); err != nil {
			tb.Errorf("mkr serve: %v\n%s", err, log)
		}
		return peak
	}
	return base, stop
}

// BenchmarkThrowProcess throws 1,000,000 generated lines with a real mkr
// process: into the local database, and to `mkr serve` on loopback. One op
// is one whole throw (a fresh database each time).
func BenchmarkThrowProcess(b *testing.B) {
	bin := cmdtest.Binary(b)
	const lines = 1_000_000
	for _, mode := range []string{"local", "serve"} {
		b.Run(fmt.Sprintf("%s/lines=%d", mode, lines), func(b *testing.B) {
			var peak, servePeak int64
			for n := 0; n < b.N; n++ {
				b.StopTimer()
				e := cmdtest.New(b)
				id := seedHost(e, "bench")
				env := e.ProcEnv()
				var stop func() int64
				if mode == "serve" {
					var base string
					base, stop = startServe(b, bin, env)
					env = append(env, "MACKEREL_APIBASE="+base)
				}
				b.StartTimer()
				rss := procThrow(b, bin, env, id, lines)
				b.StopTimer()
				peak = max(peak, rss)
				if stop != nil {
					servePeak = max(servePeak, stop())
				}
				if got := countPoints(e); got != lines {
					b.Fatalf("stored %d points, want %d", got, lines)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(lines*b.N)/b.Elapsed().Seconds(), "points/s")
			b.ReportMetric(float64(peak), "throw-peak-RSS-KiB")
			if mode == "serve" {
				b.ReportMetric(float64(servePeak), "serve-peak-RSS-KiB")
			}
		})
	}
}

// BenchmarkThrowRSS compares the peak RSS of a local `mkr throw` of
// 100,000 and of 1,000,000 lines. Input is streamed in batches, so the
// second must not be materially larger than the first.
func BenchmarkThrowRSS(b *testing.B) {
	bin := cmdtest.Binary(b)
	var small, large int64
	for n := 0; n < b.N; n++ {
		for _, lines := range []int{100_000, 1_000_000} {
			b.StopTimer()
			e := cmdtest.New(b)
			id := seedHost(e, "bench")
			b.StartTimer()
			rss := procThrow(b, bin, e.ProcEnv(), id, lines)
			if lines == 100_000 {
				small = max(small, rss)
			} else {
				large = max(large, rss)
			}
		}
	}
	b.ReportMetric(float64(small), "peak-RSS-100k-KiB")
	b.ReportMetric(float64(large), "peak-RSS-1M-KiB")
	// Allow SQLite's page cache (a few MiB) and run-to-run noise, not growth
	// with the input: ten times the lines must stay under 1.5 times the RSS.
	if float64(large) > 1.5*float64(small) {
		b.Errorf("peak RSS grows with input: %d KiB for 100,000 lines, %d KiB for 1,000,000", small, large)
	}
}

// BenchmarkMetricsCommand times `mkr metrics` (a whole in-process
// invocation: open the database, query, print JSON) for one series of
// one-minute points over 1 day (1,440 points) and 30 days (43,200), in a
// database that also holds 100 other series. Seeded through InsertPoints:
// the 24 h back-fill rule lives in the HTTP layer only.
func BenchmarkMetricsCommand(b *testing.B) {
	e := cmdtest.New(b)
	id := seedHost(e, "web01")
	end := cmdtest.Epoch.Unix() / 60 * 60
	seed := func(name string, points int) {
		batch := make([]store.SeriesPoint, 0, 5000)
		for i := 0; i < points; i++ {
			batch = append(batch, store.SeriesPoint{Key: store.HostSeries(id, name), Point: store.Point{Time: end - int64(points-1-i)*60, Value: float64(i) / 4}})
			if len(batch) == cap(batch) || i == points-1 {
				if err := e.Store().InsertPoints(context.Background(), batch); err != nil {
					b.Fatal(err)
				}
				batch = batch[:0]
			}
		}
	}
	seed("custom.target.value", 30*1440)
	for i := 0; i < 100; i++ {
		seed(fmt.Sprintf("custom.other%03d.value", i), 1440)
	}
	for _, days := range []int{1, 30} {
		b.Run(fmt.Sprintf("days=%d", days), func(b *testing.B) {
			from := end - int64(days*1440-1)*60
			args := []string{"mkr", "metrics", "-H", id, "-n", "custom.target.value", "--from", fmt.Sprint(from), "--to", fmt.Sprint(end)}
			var out bytes.Buffer
			for n := 0; n < b.N; n++ {
				out.Reset()
				f, _, errOut := e.Factory(cmdtest.RunOpts{})
				f.IO.Out = &out
				if code := commands.Run(context.Background(), f, args); code != 0 {
					b.Fatalf("exit %d: %s", code, errOut)
				}
			}
			b.StopTimer()
			if got := bytes.Count(out.Bytes(), []byte(`"time"`)); got != days*1440 {
				b.Fatalf("printed %d points, want %d", got, days*1440)
			}
			b.ReportMetric(float64(days*1440), "points/op")
			b.ReportMetric(float64(out.Len()), "bytes-printed/op")
		})
	}
}
