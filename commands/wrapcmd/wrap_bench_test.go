package wrapcmd_test

// Figures of issue #4, measured on the real binary in local mode:
//
//	go test -run '^$' -bench 'BenchmarkWrap' -benchtime 200x ./commands/wrapcmd/
//
// BenchmarkWrapOverhead/true is `/bin/true` alone, the baseline;
// BenchmarkWrapOverhead/mkr-wrap-true is `mkr wrap -- true`. Each reports
// the median wall time of one run (median-ms); the overhead is the
// difference. mkr-version (`mkr --version`) shows how much of it is the
// binary's start-up alone. BenchmarkWrap100Concurrent is the wall time for 100 `mkr
// wrap` processes started at once on one database to finish.

import (
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// median reports the median of ds as median-ms.
func median(b *testing.B, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2])/float64(time.Millisecond), "median-ms")
}

func BenchmarkWrapOverhead(b *testing.B) {
	truePath, err := exec.LookPath("true")
	if err != nil {
		b.Skip("no true(1)")
	}
	e := cmdtest.New(b)
	bin := cmdtest.Binary(b)
	// The first run registers this machine; measure the steady state.
	if r := e.Exec("wrap", "--", truePath); r.Code != 0 {
		b.Fatalf("mkr wrap -- true:\n%s", r)
	}
	for _, tt := range []struct {
		name string
		argv []string
	}{
		{"true", []string{truePath}},
		// mkr's own start-up, for scale: what wrap adds on top of it.
		{"mkr-version", []string{bin, "--version"}},
		{"mkr-wrap-true", []string{bin, "--conf", e.Conf, "wrap", "--", truePath}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			var ds []time.Duration
			env := e.ProcEnv()
			for b.Loop() {
				cmd := exec.Command(tt.argv[0], tt.argv[1:]...)
				cmd.Env = env
				start := time.Now()
				err := cmd.Run()
				ds = append(ds, time.Since(start))
				if err != nil {
					b.Fatalf("%v: %v", tt.argv, err)
				}
			}
			median(b, ds)
		})
	}
}

func BenchmarkWrap100Concurrent(b *testing.B) {
	cmdtest.Binary(b)
	var ds []time.Duration
	for b.Loop() {
		b.StopTimer()
		e := cmdtest.New(b)
		host := e.CreateHost("batch01")
		b.StartTimer()
		results, wall := wrapMany(b, e, 100, "--host", host)
		ds = append(ds, wall)
		for i, r := range results {
			if r.Code != 1-i%2 { // false for even i, true for odd
				b.Fatalf("process %d:\n%s", i, r)
			}
		}
	}
	median(b, ds)
}
