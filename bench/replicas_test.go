package bench_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/postgres/pgtest"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// BenchmarkReplicasAgents is the simulated-agents load (appendAgentBody, 100
// metrics per agent per minute, open loop at the fleet's rate after one
// warm-up post per agent) against SQLite with one `mkr serve`, and
// against PostgreSQL with one and with two replicas (posts alternating
// between them, as a round-robin load balancer sends them), in the same
// run, for MKR_BENCH_REPLICAS_AGENTS (comma-separated, default
// 5000,10000: make bench's hour holds them; the PostgreSQL warm-ups take
// minutes) agents: the search for the highest fleet each sustains with
// p99 < 100 ms. Reported: p50/p99/max, errors, the rate
// achieved, and peak RSS (the largest replica's, and all replicas'
// together), and CPU seconds per 1,000 posts of the replicas together and
// of PostgreSQL (its postmaster's children: every backend and background
// process), which a busy machine disturbs less than it disturbs latency.
// PostgreSQL runs skip without MKR_TEST_POSTGRES_DSN; PostgreSQL's memory
// is not counted.
func BenchmarkReplicasAgents(b *testing.B) {
	bin := cmdtest.Binary(b)
	fleets := []int{5000, 10000}
	if v := os.Getenv("MKR_BENCH_REPLICAS_AGENTS"); v != "" {
		fleets = nil
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n <= 0 {
				b.Fatalf("MKR_BENCH_REPLICAS_AGENTS: %q is not a count", f)
			}
			fleets = append(fleets, n)
		}
	}
	for _, agents := range fleets {
		for _, cfg := range []struct {
			engine   string
			replicas int
		}{{"sqlite", 1}, {"postgres", 1}, {"postgres", 2}} {
			b.Run(fmt.Sprintf("agents=%d/%s/replicas=%d", agents, cfg.engine, cfg.replicas), func(b *testing.B) {
				for range b.N {
					runFleet(b, bin, agents, cfg.engine == "postgres", cfg.replicas)
				}
			})
		}
	}
}

func runFleet(b *testing.B, bin string, agents int, postgres bool, replicas int) {
	b.StopTimer()
	seconds := 20
	if v, err := strconv.Atoi(os.Getenv("MKR_BENCH_AGENTS_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	ctx := context.Background()
	e := cmdtest.New(b)
	var dsn string
	if postgres {
		dsn = pgtest.DSN(b)
		e.Vars["MKR_DB"] = dsn
	}
	st := e.Store()
	hosts := make([]string, agents)
	for i := range hosts {
		id, err := st.CreateHost(ctx, store.NewHost{Name: fmt.Sprintf("agent%05d", i), Status: "working"})
		if err != nil {
			b.Fatal(err)
		}
		hosts[i] = id
	}
	var servers []*server
	for range replicas {
		servers = append(servers, startServe(b, bin, e.ProcEnv(), "--max-client-requests", "0"))
	}
	defer func() {
		for _, s := range servers {
			if s != nil {
				s.stop(b)
			}
		}
	}()
	postTo := agentPoster()
	post := func(k int, host string, t int64, seq int) error {
		return postTo(servers[k%len(servers)].base, host, t, seq)
	}

	minute := time.Now().Add(-2*time.Minute).Unix() / 60 * 60
	var next atomic.Int64
	var wg sync.WaitGroup
	var warmErr atomic.Value
	// 4 at a time, each post retried up to 5 times as an agent retries
	// (PostgreSQL's ingest of new series once ran out of serialization
	// retries and answered 500; the retries are counted).
	var warmRetries atomic.Int64
	for range 4 {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < agents; i = int(next.Add(1) - 1) {
				err := post(i, hosts[i], minute, i)
				for try := 0; err != nil && try < 5; try++ {
					warmRetries.Add(1)
					err = post(i+try+1, hosts[i], minute, i)
				}
				if err != nil {
					warmErr.Store(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.Logf("warm-up: %d posts retried", warmRetries.Load())
	if err, _ := warmErr.Load().(error); err != nil {
		for i, s := range servers {
			s.cmd.Process.Signal(os.Interrupt)
			b.Logf("replica %d's log:\n%s", i, <-s.log)
			s.cmd.Wait()
			servers[i] = nil
		}
		b.Fatalf("warm-up: %v", err)
	}
	for _, s := range servers {
		s.peak.reset()
	}

	rate := float64(agents) / 60
	total := int(rate * float64(seconds))
	latencies := make([]time.Duration, total)
	var errs atomic.Int64
	var firstErr atomic.Value
	serveCPU := func() (sum time.Duration) {
		for _, s := range servers {
			sum += procCPU(s.cmd.Process.Pid)
		}
		return sum
	}
	serveCPU0, pgCPU0 := serveCPU(), postgresCPU(b, dsn)
	b.StartTimer()
	start := time.Now()
	for k := range total {
		due := start.Add(time.Duration(float64(k) / rate * float64(time.Second)))
		time.Sleep(time.Until(due))
		wg.Go(func() {
			i := k % agents
			if err := post(k, hosts[i], minute+60*int64(1+k/agents), k); err != nil {
				errs.Add(1)
				firstErr.CompareAndSwap(nil, err)
			}
			latencies[k] = time.Since(due)
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	perKPosts := func(d time.Duration) float64 { return d.Seconds() / float64(total) * 1000 }
	b.ReportMetric(perKPosts(serveCPU()-serveCPU0), "serve-cpu-s/1000posts")
	if postgres {
		b.ReportMetric(perKPosts(postgresCPU(b, dsn)-pgCPU0), "postgres-cpu-s/1000posts")
	}
	var peakMax, peakSum int64
	for i, s := range servers {
		p := s.stop(b)
		servers[i] = nil
		peakMax, peakSum = max(peakMax, p), peakSum+p
	}
	want := int64(100*(agents+total) - 100*int(errs.Load()))
	if got, err := st.CountPoints(ctx); err != nil || got != want {
		b.Errorf("stored %d points (%v), want %d", got, err, want)
	}
	if err, _ := firstErr.Load().(error); err != nil {
		b.Logf("first error: %v", err)
	}
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		return float64(latencies[min(len(latencies)-1, int(p*float64(len(latencies))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(latencies[len(latencies)-1].Microseconds())/1000, "max-ms")
	b.ReportMetric(float64(errs.Load()), "errors")
	b.ReportMetric(float64(total)/elapsed.Seconds(), "posts/s")
	b.ReportMetric(float64(peakMax), "replica-peak-RSS-KiB")
	b.ReportMetric(float64(peakSum), "all-replicas-peak-RSS-KiB")
}

// postgresCPU is the CPU time so far of the PostgreSQL server dsn names,
// when it runs on this machine: its postmaster's and every child's
// (backends, background writers, autovacuum). A child that exited in
// between takes its time with it: the replicas' pooled connections live
// through a run, so little is lost. 0 without a dsn.
func postgresCPU(tb testing.TB, dsn string) time.Duration {
	if dsn == "" {
		return 0
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close(ctx)
	var backend int
	if err := conn.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&backend); err != nil {
		tb.Fatal(err)
	}
	postmaster := procParent(backend)
	if postmaster <= 1 {
		tb.Fatalf("the PostgreSQL server's processes are not on this machine")
	}
	sum := procCPU(postmaster)
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		if pid, err := strconv.Atoi(d.Name()); err == nil && procParent(pid) == postmaster {
			sum += procCPU(pid)
		}
	}
	return sum
}

// procParent is a process's parent id (field 4 of /proc/<pid>/stat), 0
// when it cannot be read.
func procParent(pid int) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	i := bytes.LastIndexByte(data, ')') // the command name may hold spaces
	if i < 0 {
		return 0
	}
	fields := strings.Fields(string(data[i+1:]))
	if len(fields) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(fields[1])
	return ppid
}
