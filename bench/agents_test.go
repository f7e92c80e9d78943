package bench_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// agentMetrics are 100 metric names shaped like mackerel-agent's.
var agentMetrics = func() []string {
	var names []string
	for _, n := range []string{"loadavg1", "loadavg5", "loadavg15", "cpu.user.percentage", "cpu.system.percentage",
		"cpu.iowait.percentage", "cpu.idle.percentage", "cpu.steal.percentage", "memory.used", "memory.cached",
		"memory.buffers", "memory.free", "memory.available", "memory.total", "memory.swap_free", "memory.swap_total"} {
		names = append(names, n)
	}
	for _, dev := range []string{"nvme0n1", "nvme1n1", "sda", "sdb"} {
		for _, m := range []string{"reads", "writes", "readBytes", "writeBytes", "ioTime", "queueLength"} {
			names = append(names, "disk."+dev+"."+m+".delta")
		}
	}
	for _, ifc := range []string{"eth0", "eth1", "docker0", "lo"} {
		for _, m := range []string{"rxBytes", "txBytes", "rxPackets", "txPackets", "rxErrors", "txErrors"} {
			names = append(names, "interface."+ifc+"."+m+".delta")
		}
	}
	for i := 0; len(names) < 100; i++ {
		names = append(names, fmt.Sprintf("filesystem.vol%02d.%s", i/2, []string{"size", "used"}[i%2]))
	}
	return names
}()

// agentPoster returns what posts an agent's body (built into a pooled
// buffer) to the serve at base, over a client sized for a fleet; a
// status other than 200 is an error carrying the answer.
func agentPoster() func(base, host string, t int64, seq int) error {
	cl := &http.Client{Transport: &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024}, Timeout: time.Minute}
	bodies := sync.Pool{New: func() any { return new([]byte) }}
	return func(base, host string, t int64, seq int) error {
		buf := bodies.Get().(*[]byte)
		defer bodies.Put(buf)
		*buf = appendAgentBody((*buf)[:0], host, t, seq)
		resp, err := cl.Post(base+"/api/v0/tsdb", "application/json", bytes.NewReader(*buf))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			return fmt.Errorf("%d %s", resp.StatusCode, body)
		}
		return nil
	}
}

// appendAgentBody appends one agent's post, its 100 metrics at time t, to buf. The generator shares the cores with serve, so it must be cheap: the
// constant parts of each element are encoded once (agentParts) and only
// the host, time and value are written per post — fmt.Fprintf per point
// cost the generator about as much CPU as serve spent decoding.
func appendAgentBody(buf []byte, host string, t int64, seq int) []byte {
	buf = append(buf, '[')
	for i, part := range agentParts {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `{"hostId":"`...)
		buf = append(buf, host...)
		buf = append(buf, part...)
		buf = strconv.AppendInt(buf, t, 10)
		buf = append(buf, `,"value":`...)
		buf = strconv.AppendInt(buf, int64((seq+i)%1000), 10)
		buf = append(buf, ".5}"...)
	}
	return append(buf, ']')
}

// agentParts are the encoded middles of appendAgentBody's elements: the metric
// name up to the time.
var agentParts = func() [][]byte {
	parts := make([][]byte, len(agentMetrics))
	for i, name := range agentMetrics {
		parts[i] = fmt.Appendf(nil, `","name":%q,"time":`, name)
	}
	return parts
}()

// BenchmarkServeAgents: a fleet of simulated agents posts to a real `mkr
// serve` process (a separate process, so its RSS is honest) over
// loopback, each agent 100 metrics once a minute: 10,000 agents are 167
// posts/s and 50,000 are 833. A warm-up, unmeasured, makes the steady
// state of a fleet that has been running: every agent's series exist,
// today's sealing pass is done, and every agent has posted once through
// serve (whose caches then hold the fleet; MKR_BENCH_AGENTS_WARMUP=cold
// leaves that out and =restart restarts serve after it and after the
// monitors are created: the minute after a restart); then, for
// MKR_BENCH_AGENTS_SECONDS (default 20), posts are sent on schedule at the
// fleet's rate (open loop: a slow answer does not delay the next post) and
// each latency is taken from the post's scheduled time to the end of its
// answer. Reported: p50/p99/max, errors, the rate achieved, and serve's
// peak RSS during the measured phase (VmHWM, reset after the warm-up) and
// over the whole run. serve runs with --max-client-requests 0: a real
// fleet posts from as many addresses, not one.
func BenchmarkServeAgents(b *testing.B) {
	bin := cmdtest.Binary(b)
	for _, agents := range []int{10_000, 50_000} {
		b.Run(fmt.Sprintf("agents=%d", agents), func(b *testing.B) {
			for range b.N {
				runAgents(b, bin, agents)
			}
		})
	}
}

func runAgents(b *testing.B, bin string, agents int) {
	b.StopTimer()
	seconds := 20
	if v, err := strconv.Atoi(os.Getenv("MKR_BENCH_AGENTS_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	ctx := context.Background()
	e := cmdtest.New(b)
	// MKR_BENCH_AGENTS_CACHE=DIR keeps each fleet's seeded database
	// (DIR/agents-N.db, written by `mkr db backup` after the warm-up) and
	// starts later runs from a copy: seeding 50,000 agents' 5 M series
	// takes over ten minutes on the loaded 2-core machine.
	cacheDir := os.Getenv("MKR_BENCH_AGENTS_CACHE")
	cached := filepath.Join(cacheDir, fmt.Sprintf("agents-%d.db", agents))
	fromCache := false
	if cacheDir != "" {
		if data, err := os.ReadFile(cached); err == nil {
			if err := os.WriteFile(e.DBPath(), data, 0o600); err != nil {
				b.Fatal(err)
			}
			fromCache = true
		}
	}
	st := e.Store()
	hosts := make([]string, agents)
	began := time.Now()
	if fromCache {
		hosts = hosts[:0]
		if err := st.EachHost(ctx, store.HostFilter{}, func(h *store.Host) error {
			hosts = append(hosts, h.ID)
			return nil
		}); err != nil || len(hosts) != agents {
			b.Fatalf("%s: %d hosts (%v), want %d", cached, len(hosts), err, agents)
		}
		b.Logf("%d hosts and their first posts copied from %s", agents, cached)
	} else {
		for i := range hosts {
			id, err := st.CreateHost(ctx, store.NewHost{Name: fmt.Sprintf("agent%05d", i), Status: "working"})
			if err != nil {
				b.Fatal(err)
			}
			hosts[i] = id
		}
		b.Logf("%d hosts created in %.1f s", agents, time.Since(began).Seconds())
	}
	var srv *server
	defer func() {
		if srv != nil {
			srv.stop(b)
		}
	}()
	postTo := agentPoster()
	post := func(host string, t int64, seq int) error { return postTo(srv.base, host, t, seq) }

	// Warm-up: every agent's first post is stored in-process before serve
	// starts (its series exist, as in a fleet that has been running), 100
	// agents per call: through HTTP, 16 at a time, it took 550 s for
	// 10,000 agents on the loaded 2-core machine, mostly creating series.
	// MKR_BENCH_AGENTS_WARMUP=http posts it to serve instead.
	began = time.Now()
	minute := time.Now().Add(-2*time.Minute).Unix() / 60 * 60
	var next atomic.Int64
	var wg sync.WaitGroup
	env := e.ProcEnv()
	// The Go runtime's memory knobs reach serve when set for the run
	// (GOMEMLIMIT=150MiB … to see what a limit does to RSS and latency).
	for _, k := range []string{"GOMEMLIMIT", "GOGC"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	profDir := os.Getenv("MKR_BENCH_AGENTS_PROFILE")
	var pprofAddr string
	if profDir != "" {
		pprofAddr = freeLoopbackAddr(b)
		env = append(env, "MKR_SERVE_PPROF="+pprofAddr)
	}
	// A fleet is watched: MKR_BENCH_AGENTS_MONITORS (default
	// "connectivity,host") creates the connectivity monitor every
	// Mackerel organization starts with and a host metric monitor on
	// loadavg5 (evaluated after ingest too; no agent crosses its
	// thresholds); "none" creates neither.
	watch := func() {
		monitors := os.Getenv("MKR_BENCH_AGENTS_MONITORS")
		if monitors == "" {
			monitors = "connectivity,host"
		}
		for _, m := range strings.Split(monitors, ",") {
			body := map[string]string{
				"connectivity": `{"type":"connectivity","name":"connectivity"}`,
				"host":         `{"type":"host","name":"loadavg5","metric":"loadavg5","operator":">","warning":2000,"critical":3000,"duration":1}`,
			}[m]
			if m == "none" {
				continue
			}
			if body == "" {
				b.Fatalf("MKR_BENCH_AGENTS_MONITORS: %q is not connectivity, host or none", m)
			}
			resp, err := http.Post(srv.base+"/api/v0/monitors", "application/json", strings.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			out, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatalf("creating the %s monitor: %s %s", m, resp.Status, out)
			}
		}
	}
	serve := func() { srv = startServe(b, bin, env, "--max-client-requests", "0") }
	// postAll posts every agent's last minute through serve, 16 at a time.
	postAll := func() {
		var warmErr atomic.Pointer[error] // not atomic.Value: errors differ in type
		next.Store(0)
		minute := time.Now().Add(-time.Minute).Unix() / 60 * 60
		for range 16 {
			wg.Go(func() {
				for i := int(next.Add(1) - 1); i < agents; i = int(next.Add(1) - 1) {
					if err := post(hosts[i], minute, i); err != nil {
						warmErr.Store(&err)
						return
					}
				}
			})
		}
		wg.Wait()
		if err := warmErr.Load(); err != nil {
			b.Fatalf("warm-up: %v", *err)
		}
	}
	if os.Getenv("MKR_BENCH_AGENTS_WARMUP") == "http" {
		serve()
		postAll()
	} else {
		if !fromCache {
			if err := seedAgents(ctx, st, hosts, minute); err != nil {
				b.Fatalf("warm-up: %v", err)
			}
			if cacheDir != "" {
				backup := exec.Command(bin, "db", "backup", cached)
				backup.Env = e.ProcEnv()
				if out, err := backup.CombinedOutput(); err != nil {
					b.Logf("caching the seeded database: %v\n%s", err, out)
				}
			}
		}
		// A fleet that has been running has had today's sealing pass
		// (serve looks at every series once a day, paced; 5 M series
		// are ~6 s of CPU, BenchmarkServeAgents' note): done here, so
		// the measured phase sees the steady state.
		// (By the binary: the in-process store runs on the Env's fake
		// clock, and its "today" is not serve's.)
		sealed := time.Now()
		compact := exec.Command(bin, "db", "compact")
		compact.Env = e.ProcEnv()
		if out, err := compact.CombinedOutput(); err != nil {
			b.Fatalf("sealing before serve starts: %v\n%s", err, out)
		}
		b.Logf("daily sealing pass over %d agents' series: %.1f s", agents, time.Since(sealed).Seconds())
		serve()
		// ...and serve has seen every agent post: its caches hold the
		// fleet (the series ids: a restarted serve reads each agent's on
		// its first post). MKR_BENCH_AGENTS_WARMUP=cold skips this: the
		// first minute after serve restarts.
		if os.Getenv("MKR_BENCH_AGENTS_WARMUP") != "cold" {
			warmed := time.Now()
			postAll()
			b.Logf("every agent's post once through serve: %.0f posts/s", float64(agents)/time.Since(warmed).Seconds())
		}
	}
	// The monitors come once every agent has posted: created earlier,
	// their first evaluation would open a connectivity alert for every
	// host silent since the database was seeded, and the measured phase
	// would be closing 50,000 of them rather than a fleet's steady state.
	watch()
	if os.Getenv("MKR_BENCH_AGENTS_WARMUP") == "restart" {
		// The minute after serve restarts under a running fleet: every
		// agent posted a moment ago and the monitors exist, but the new
		// process's caches are empty. (cold instead starts serve over
		// the seeded database, whose posts are old: with monitors, a
		// fleet back from a long outage, whose 50,000 connectivity
		// alerts open and then close.)
		srv.stop(b)
		serve()
	}
	warmPoints, err := st.CountPoints(ctx)
	if err != nil {
		b.Fatal(err)
	}
	warmPeak := procStatus(srv.cmd.Process.Pid, "VmHWM:")
	b.Logf("warm-up: %d agents in %.1f s, serve's peak RSS %d KiB", agents, time.Since(began).Seconds(), warmPeak)
	if err := srv.peak.reset(); err != nil {
		b.Logf("cannot reset the peak RSS (%v): the measured peak includes the warm-up", err)
	}

	// Measured phase: posts on the fleet's schedule.
	rate := float64(agents) / 60
	total := int(rate * float64(seconds))
	latencies := make([]time.Duration, total)
	var errs atomic.Int64
	var firstErr atomic.Pointer[error] // not atomic.Value: errors differ in type
	var profiled sync.WaitGroup
	if profDir != "" {
		profiled.Go(func() { saveProfiles(b, pprofAddr, profDir, seconds) })
	}
	cpuBefore := procCPU(srv.cmd.Process.Pid)
	b.StartTimer()
	start := time.Now()
	for k := range total {
		due := start.Add(time.Duration(float64(k) / rate * float64(time.Second)))
		time.Sleep(time.Until(due))
		wg.Go(func() {
			i := k % agents
			// Timestamped as an agent does, with the minute it posts
			// in: later than the warm-up's, and one post per agent
			// and minute.
			if err := post(hosts[i], due.Unix()/60*60, k); err != nil {
				errs.Add(1)
				firstErr.CompareAndSwap(nil, &err)
			}
			latencies[k] = time.Since(due)
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	cpu := procCPU(srv.cmd.Process.Pid) - cpuBefore
	profiled.Wait()
	peak := srv.stop(b)
	srv = nil
	// A post the client gave up on may still have been stored: with
	// errors, the count is only reported, and the figures still are.
	want := warmPoints + int64(100*total-100*int(errs.Load()))
	if got, err := st.CountPoints(ctx); err != nil || (got != want && errs.Load() == 0) {
		b.Errorf("stored %d points (%v), want %d", got, err, want)
	} else if got != want {
		b.Logf("stored %d points, %d more than the posts answered 200 carried", got, got-want)
	}
	if err := firstErr.Load(); err != nil {
		b.Logf("first error: %v", *err)
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
	// serve's own CPU per 1,000 posts: unlike latency, robust to a busy
	// machine (the generator and other processes share the cores).
	b.ReportMetric(cpu.Seconds()/float64(total)*1000, "serve-cpu-s/1000posts")
	b.ReportMetric(float64(peak), "serve-peak-RSS-KiB")
	b.ReportMetric(float64(max(peak, warmPeak)), "serve-peak-RSS-with-warmup-KiB")
}

// seedAgents stores every agent's first post (the points appendAgentBody would
// send at time t) straight into the store, 100 agents per call.
func seedAgents(ctx context.Context, st store.Store, hosts []string, t int64) error {
	for from := 0; from < len(hosts); from += 100 {
		var points []store.SeriesPoint
		for i := from; i < min(from+100, len(hosts)); i++ {
			for j, name := range agentMetrics {
				points = append(points, store.SeriesPoint{Key: store.HostSeries(hosts[i], name),
					Point: store.Point{Time: t, Value: float64((i+j)%1000) + 0.5}})
			}
		}
		if err := st.InsertPoints(ctx, points); err != nil {
			return err
		}
	}
	return nil
}
