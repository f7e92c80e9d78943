package external_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/external"
	"github.com/mkr-dev/mkr/backend/monitor"
)

// runnerHarness runs a Runner against a monitor list the test edits and
// shows its rounds on channels.
type runnerHarness struct {
	mu       sync.Mutex
	monitors []*monitor.Monitor
	listErr  error

	listed  chan struct{}          // a signal per Monitors call (at most one pending)
	batches chan []external.Result // every Apply call, in order
	errs    chan error             // every OnError call
	applied func([]external.Result) error
	runner  *external.Runner
}

func newRunnerHarness(ms ...*monitor.Monitor) *runnerHarness {
	h := &runnerHarness{
		monitors: ms,
		listed:   make(chan struct{}, 1),
		batches:  make(chan []external.Result),
		errs:     make(chan error, 16),
	}
	h.runner = &external.Runner{
		Monitors: func(ctx context.Context) ([]*monitor.Monitor, error) {
			select {
			case h.listed <- struct{}{}:
			default:
			}
			h.mu.Lock()
			defer h.mu.Unlock()
			err := h.listErr
			h.listErr = nil
			return slices.Clone(h.monitors), err
		},
		Apply: func(ctx context.Context, results []external.Result) error {
			select {
			case h.batches <- results:
			case <-ctx.Done():
			}
			if h.applied != nil {
				return h.applied(results)
			}
			return nil
		},
		OnError:  func(err error) { h.errs <- err },
		Interval: 5 * time.Millisecond,
		Now:      func() time.Time { return probeNow },
	}
	return h
}

func (h *runnerHarness) setMonitors(ms ...*monitor.Monitor) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.monitors = ms
}

// start runs the Runner until the returned stop is called (or the test
// ends); stop returns what Run returned.
func (h *runnerHarness) start(t *testing.T) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.runner.Run(ctx) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			err = receive(t, done, "Run to return")
		})
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

// waitRounds returns once at least n more rounds have listed the monitors.
func (h *runnerHarness) waitRounds(t *testing.T, n int) {
	t.Helper()
	for range n + 1 { // one signal may be left from before
		receive(t, h.listed, "a round")
	}
}

// receive fails the test instead of hanging when nothing comes.
func receive[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("waited 10s for %s", what)
		panic("unreachable")
	}
}

type outcome struct{ id, status, message string }

func outcomes(results []external.Result) []outcome {
	out := make([]outcome, len(results))
	for i, r := range results {
		out[i] = outcome{r.MonitorID, r.Status, r.Message}
		if r.At != probeNow.Unix() {
			out[i].message += fmt.Sprintf(" (at %d)", r.At)
		}
	}
	return out
}

func monitorAt(id, url string) *monitor.Monitor {
	return &monitor.Monitor{ID: id, Type: monitor.TypeExternal, Name: id, URL: url}
}

func TestRunnerProbesEveryRound(t *testing.T) {
	srv := statusServer(t)
	up, down := monitorAt("up", srv.URL+"/200"), monitorAt("down", srv.URL+"/500")
	host := &monitor.Monitor{ID: "host", Type: monitor.TypeHost, Metric: "loadavg5"}
	h := newRunnerHarness(up, host, down, up)
	stop := h.start(t)

	want := []outcome{{"up", "OK", "200"}, {"down", "CRITICAL", "500"}}
	for round := range 3 {
		if got := outcomes(receive(t, h.batches, "a batch")); !slices.Equal(got, want) {
			t.Fatalf("round %d: %v, want %v", round, got, want)
		}
	}
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v, want context.Canceled", err)
	}
	select {
	case err := <-h.errs:
		t.Errorf("OnError(%v), want no errors", err)
	default:
	}
}

func TestRunnerRereadsMonitors(t *testing.T) {
	srv := statusServer(t)
	a, b := monitorAt("a", srv.URL+"/200"), monitorAt("b", srv.URL+"/404")
	h := newRunnerHarness(a)
	h.start(t)

	// Rounds only claim monitors that are not in flight, so a batch may
	// hold a subset of the list: look at what each monitor receives.
	probed := func(batch []external.Result, id string) bool {
		return slices.ContainsFunc(batch, func(r external.Result) bool { return r.MonitorID == id })
	}
	receive(t, h.batches, "a first batch")
	h.setMonitors(a, b) // created while running
	for batch := receive(t, h.batches, "a batch"); !probed(batch, "b"); batch = receive(t, h.batches, "a batch with b") {
		if !slices.Equal(outcomes(batch), []outcome{{"a", "OK", "200"}}) {
			t.Fatalf("unexpected batch %v", outcomes(batch))
		}
	}
	h.setMonitors(b) // a deleted
	for without := 0; without < 3; {
		batch := receive(t, h.batches, "three batches in a row without a")
		without++
		if probed(batch, "a") {
			without = 0
		}
		if !probed(batch, "b") && !probed(batch, "a") {
			t.Fatalf("empty batch applied")
		}
	}
}

// gatedServer holds every request until released and counts them.
type gatedServer struct {
	*httptest.Server
	arrived chan string
	release func()

	mu       sync.Mutex
	requests map[string]int
	current  int
	max      int
}

func newGatedServer(t *testing.T) *gatedServer {
	t.Helper()
	g := &gatedServer{arrived: make(chan string, 64), requests: map[string]int{}}
	open := make(chan struct{})
	var once sync.Once
	g.release = func() { once.Do(func() { close(open) }) }
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.requests[r.URL.Path]++
		g.current++
		g.max = max(g.max, g.current)
		g.mu.Unlock()
		defer func() {
			g.mu.Lock()
			g.current--
			g.mu.Unlock()
		}()
		g.arrived <- r.URL.Path
		select {
		case <-open:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(g.Close)
	t.Cleanup(g.release) // before Close, which waits for the handlers
	return g
}

func (g *gatedServer) counts() (requests map[string]int, current, most int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return maps.Clone(g.requests), g.current, g.max
}

func TestRunnerNeverOverlapsAMonitor(t *testing.T) {
	gated, fast := newGatedServer(t), statusServer(t)
	h := newRunnerHarness(monitorAt("slow", gated.URL+"/slow"), monitorAt("fast", fast.URL+"/200"))
	h.start(t)

	receive(t, gated.arrived, "the slow probe")
	h.waitRounds(t, 3)
	if requests, _, _ := gated.counts(); requests["/slow"] != 1 {
		t.Errorf("slow monitor probed %d times while its probe was running, want 1", requests["/slow"])
	}
	select {
	case b := <-h.batches:
		t.Fatalf("a batch %v was applied before the slow probe ended", outcomes(b))
	default:
	}

	gated.release()
	want := []outcome{{"slow", "OK", "200"}, {"fast", "OK", "200"}}
	for round := range 2 {
		if got := outcomes(receive(t, h.batches, "a batch")); !slices.Equal(got, want) {
			t.Fatalf("round %d: %v, want %v", round, got, want)
		}
	}
	if _, _, most := gated.counts(); most != 1 {
		t.Errorf("%d probes of the slow monitor ran at once, want 1", most)
	}
}

func TestRunnerBoundsConcurrency(t *testing.T) {
	gated := newGatedServer(t)
	var ms []*monitor.Monitor
	var want []outcome
	for i := range 5 {
		id := fmt.Sprintf("m%d", i)
		ms = append(ms, monitorAt(id, gated.URL+"/"+id))
		want = append(want, outcome{id, "OK", "200"})
	}
	h := newRunnerHarness(ms...)
	h.runner.Concurrency = 2
	h.start(t)

	receive(t, gated.arrived, "a first probe")
	receive(t, gated.arrived, "a second probe")
	h.waitRounds(t, 3)
	if _, current, _ := gated.counts(); current != 2 {
		t.Errorf("%d probes running, want 2", current)
	}

	gated.release()
	if got := outcomes(receive(t, h.batches, "the batch")); !slices.Equal(got, want) {
		t.Errorf("batch %v, want %v", got, want)
	}
	if _, _, most := gated.counts(); most != 2 {
		t.Errorf("at most %d probes ran at once, want 2", most)
	}
}

func TestRunnerReportsErrorsAndGoesOn(t *testing.T) {
	srv := statusServer(t)
	h := newRunnerHarness(monitorAt("up", srv.URL+"/200"))
	h.listErr = errors.New("database is locked")
	var applies int
	h.applied = func([]external.Result) error {
		applies++
		if applies == 1 {
			return errors.New("disk full")
		}
		return nil
	}
	h.start(t)

	if err := receive(t, h.errs, "the Monitors error"); err.Error() != "database is locked" {
		t.Errorf("first error %v, want database is locked", err)
	}
	receive(t, h.batches, "the first batch")
	if err := receive(t, h.errs, "the Apply error"); err.Error() != "disk full" {
		t.Errorf("second error %v, want disk full", err)
	}
	if got := outcomes(receive(t, h.batches, "the second batch")); !slices.Equal(got, []outcome{{"up", "OK", "200"}}) {
		t.Errorf("after the errors: %v", got)
	}
}

// A round cut short by the end of Run applies nothing: its probes were
// cancelled, not failed.
func TestRunnerDropsACanceledRound(t *testing.T) {
	gated := newGatedServer(t)
	h := newRunnerHarness(monitorAt("slow", gated.URL+"/slow"))
	var applied []external.Result
	h.runner.Apply = func(_ context.Context, results []external.Result) error {
		applied = append(applied, results...) // Run has returned before it is read
		return nil
	}
	stop := h.start(t)

	receive(t, gated.arrived, "the slow probe")
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v, want context.Canceled", err)
	}
	if len(applied) != 0 {
		t.Errorf("applied %v after cancellation, want nothing", outcomes(applied))
	}
}

func TestRunnerNeedsItsCallbacks(t *testing.T) {
	err := (&external.Runner{}).Run(context.Background())
	if err == nil || err.Error() != "external: Runner needs Monitors and Apply" {
		t.Errorf("Run() = %v", err)
	}
}

// Until its results are applied a monitor stays in flight, so a slow Apply
// cannot receive a newer result of a monitor before an older one.
func TestRunnerWaitsForApplyBeforeProbingAgain(t *testing.T) {
	counting := newGatedServer(t)
	counting.release()
	h := newRunnerHarness(monitorAt("m", counting.URL+"/m"))
	h.start(t)

	receive(t, counting.arrived, "the first probe")
	h.waitRounds(t, 3) // Apply is blocked: nobody reads h.batches yet
	if requests, _, _ := counting.counts(); requests["/m"] != 1 {
		t.Errorf("probed %d times while the first result waited to be applied, want 1", requests["/m"])
	}
	receive(t, h.batches, "the first batch")
	receive(t, h.batches, "the second batch")
}
