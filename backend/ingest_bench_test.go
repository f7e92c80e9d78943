package backend_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

// BenchmarkIngestAgentPosts measures the handler (no socket, monitoring in
// the background as in mkr serve) under posts
// shaped like mackerel-agent's — 100 metrics of one host, 16 posts in
// flight — over 2,000 hosts: first=new posts each host's first minute
// (100 series created per post), steady=repeat the next minutes (the
// series exist). One op is one post. Compare with BenchmarkTSPostHostMetrics
// (one host, 5,000-point batches) for the per-request costs.
func BenchmarkIngestAgentPosts(b *testing.B) {
	env := backendtest.New(b)
	const hosts = 2000
	ids := make([]string, hosts)
	for i := range ids {
		ids[i] = env.MustCreateHost(b, store.NewHost{Name: fmt.Sprintf("agent%04d", i)})
	}
	// As mkr serve: evaluation and sealing run in the background, not in
	// each request.
	stop := env.Backend.StartMonitoring(context.Background(), "bench")
	defer stop()
	now := env.Clock.Now().Unix()
	body := func(host string, t int64) string {
		var sb strings.Builder
		sb.WriteByte('[')
		for m := range 100 {
			if m > 0 {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, `{"hostId":%q,"name":"custom.agent.metric%02d.value","time":%d,"value":%d.5}`, host, m, t, m)
		}
		sb.WriteByte(']')
		return sb.String()
	}
	var minute atomic.Int64
	run := func(b *testing.B) {
		var next atomic.Int64
		var wg sync.WaitGroup
		cpu0 := processCPU()
		b.ResetTimer()
		for range 16 {
			wg.Go(func() {
				for k := next.Add(1) - 1; k < int64(b.N); k = next.Add(1) - 1 {
					m := minute.Load() + k/hosts
					req := httptest.NewRequest("POST", "/api/v0/tsdb", strings.NewReader(body(ids[k%hosts], now-3600+60*m)))
					rec := httptest.NewRecorder()
					env.Handler.ServeHTTP(rec, req)
					if rec.Code != 200 {
						b.Errorf("%d %s", rec.Code, rec.Body)
						return
					}
				}
			})
		}
		wg.Wait()
		b.StopTimer()
		minute.Add(int64(b.N)/hosts + 1)
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
		// CPU time per post: on a loaded machine, steadier than wall time.
		b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N)/1e3, "cpu-µs/op")
	}
	b.Run("first", func(b *testing.B) {
		if b.N > hosts {
			b.N = hosts
		}
		run(b)
	})
	b.Run("steady", run)
	if n, err := env.Store.CountPoints(context.Background()); err != nil || n == 0 {
		b.Fatalf("CountPoints = %d, %v", n, err)
	}
}

// processCPU is the CPU time (user + system) this process has used, in ns.
func processCPU() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}
