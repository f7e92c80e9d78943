package backend

import (
	"context"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mkr-dev/mkr/backend/engine"
	"github.com/mkr-dev/mkr/backend/external"
	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/notify"
	"github.com/mkr-dev/mkr/backend/store"
)

// evaluator decides when the engine evaluates monitors for this backend.
//
// In local mode (and in tests) there is no long-running process: ingest
// evaluates the monitors of the posted metrics before it answers, and
// reads of alerts and monitored statuses first catch up with everything
// time-driven. `mkr serve` calls StartMonitoring: a ticker evaluates
// everything, external monitors are probed, and ingest only queues
// its metric names for the loop, so that a burst of posts costs one
// evaluation and never waits for one.
type evaluator struct {
	background atomic.Bool // StartMonitoring was called
	mu         sync.Mutex
	// What was posted since the loop last ran: the metric names and the
	// hosts posted to (all engine.AdvanceTouched looks at).
	pendingNames, pendingHosts map[string]bool
	kick                       chan struct{}
	notify                     notifier     // notification delivery (notifications.go)
	retention                  atomic.Int64 // ConfigureRetention's, in nanoseconds (tiers.go)
}

func newEvaluator() *evaluator { return &evaluator{kick: make(chan struct{}, 1)} }

// afterIngest evaluates (or queues) the monitors of the stored points.
// Monitoring failing never fails the post: the points are stored.
func (b *Backend) afterIngest(ctx context.Context, points []store.SeriesPoint) {
	keys := map[store.SeriesKey]bool{}
	for _, p := range points {
		keys[p.Key] = true
	}
	b.afterIngestSeries(ctx, slices.Collect(maps.Keys(keys)))
}

// afterIngestSeries is afterIngest for the distinct series posted (a
// metric post's spool has them, so no point is looked at). In serve the
// series only join the pending set under its lock: this runs for every
// post, and the evaluation it asks for runs once a second for all of them.
func (b *Backend) afterIngestSeries(ctx context.Context, keys []store.SeriesKey) {
	if b.eval.background.Load() {
		b.eval.mu.Lock()
		if b.eval.pendingNames == nil {
			b.eval.pendingNames, b.eval.pendingHosts = map[string]bool{}, map[string]bool{}
		}
		for _, k := range keys {
			b.eval.pendingNames[k.Name] = true
			if k.Kind == "host" {
				b.eval.pendingHosts[k.Owner] = true
			}
		}
		b.eval.mu.Unlock()
		select {
		case b.eval.kick <- struct{}{}:
		default:
		}
		return
	}
	if err := b.engine.AdvanceIngest(ctx, b.store.Now(), keys); err != nil {
		slog.Warn("evaluating monitors after ingest", "error", err)
	}
}

// catchUp brings evaluation up to date before a read of alerts or
// statuses, when no background loop does it.
func (b *Backend) catchUp(ctx context.Context) {
	if b.eval.background.Load() {
		return
	}
	if err := b.engine.Advance(ctx, b.store.Now()); err != nil {
		slog.Warn("evaluating monitors", "error", err)
	}
	b.deliverPending(ctx)
}

// catchingUp wraps a read handler with catchUp.
func (b *Backend) catchingUp(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		b.catchUp(r.Context())
		return h(w, r)
	}
}

// DefaultEvaluationInterval is how often RunEvaluation evaluates
// everything: well under the minute that time-driven rules count in.
const DefaultEvaluationInterval = 15 * time.Second

// runEvaluation evaluates monitors every interval and soon after ingest
// until ctx ends. Errors are logged: a failing evaluation must not stop
// the next one.
//
// Evaluating everything on the clock is the monitoring lease holder's
// work (monitoring_lease.go), done at once when a term of the lease
// starts and then on the ticker; the series posted to this replica are
// evaluated here whether it holds the lease or not.
func (b *Backend) runEvaluation(ctx context.Context, interval time.Duration, lease *leaseKeeper) {
	if interval <= 0 {
		interval = DefaultEvaluationInterval
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	advance := func() {
		if term := lease.current(); term != nil {
			b.advance(term)
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-lease.started():
			advance()
		case <-tick.C:
			advance()
		case <-b.eval.kick:
			// Batch a burst of posts into one evaluation a little later:
			// agents post every minute, so a second of delay is nothing,
			// and evaluation stays a small share of ingest's CPU.
			select {
			case <-ctx.Done():
				return
			case <-time.After(ingestBatchDelay):
			}
			b.eval.mu.Lock()
			names, hosts := b.eval.pendingNames, b.eval.pendingHosts
			b.eval.pendingNames, b.eval.pendingHosts = nil, nil
			b.eval.mu.Unlock()
			if err := b.engine.AdvanceTouched(ctx, b.store.Now(), names, hosts); err != nil && ctx.Err() == nil {
				slog.Warn("evaluating monitors after ingest", "error", err)
			}
		}
	}
}

// evaluationShare paces serve's evaluations of a large fleet (see
// engine.SetShare): their reads take about this share of the time.
const evaluationShare = 0.3

// hostPassInterval: serve's full evaluations run each per-host monitor
// over the fleet once a minute (see engine.SetHostPassInterval); the
// hosts that post are evaluated as they post.
const hostPassInterval = time.Minute

// ingestBatchDelay is how long the background loop gathers posts before
// evaluating them.
const ingestBatchDelay = time.Second

func (b *Backend) advance(ctx context.Context) {
	if err := b.engine.Advance(ctx, b.store.Now()); err != nil && ctx.Err() == nil {
		slog.Warn("evaluating monitors", "error", err)
	}
}

// MonitoringOptions tune StartMonitoring.
type MonitoringOptions struct {
	// Interval between evaluations of everything (default
	// DefaultEvaluationInterval).
	Interval time.Duration
	// Version names mkr in the external probes' User-Agent.
	Version string
	// ProbeTransport, when set, is the HTTP transport of external probes
	// (tests point it at their servers' CAs).
	ProbeTransport *http.Transport
	// SMTP is the relay of email notifications (nil: email deliveries
	// stay pending); NotifyTransport, when set, carries webhook and Slack
	// notifications (tests).
	SMTP            *notify.SMTPConfig
	NotifyTransport http.RoundTripper
	// LeaseTTL is the monitoring lease's TTL (0: MKR_SERVE_LEASE_TTL,
	// else DefaultLeaseTTL; see monitoring_lease.go).
	LeaseTTL time.Duration
}

// StartMonitoring turns the backend into a long-running monitoring
// service (`mkr serve`): from now on ingest only queues evaluation and
// reads no longer catch up first, while background loops evaluate
// monitors and probe external monitors every minute — those two and
// sealing only while this replica holds the monitoring lease
// (monitoring_lease.go). stop ends the loops, gives the lease up and
// waits for them.
func (b *Backend) StartMonitoring(ctx context.Context, version string) (stop func()) {
	return b.StartMonitoringWith(ctx, MonitoringOptions{Version: version})
}

// StartMonitoringWith is StartMonitoring with every option.
func (b *Backend) StartMonitoringWith(ctx context.Context, opts MonitoringOptions) (stop func()) {
	b.eval.background.Store(true)
	b.engine.SetShare(evaluationShare)
	b.engine.SetHostPassInterval(hostPassInterval, b.store.Now())
	ctx, cancel := context.WithCancel(ctx)
	ttl := opts.LeaseTTL
	if ttl <= 0 {
		ttl = leaseTTL()
	}
	lease := newLeaseKeeper(b.store, MonitoringLease, ttl)
	var wg sync.WaitGroup
	wg.Go(func() { lease.run(ctx) })
	wg.Go(func() { b.runEvaluation(ctx, opts.Interval, lease) })
	runner := &external.Runner{
		Monitors: b.externalMonitors,
		Apply:    b.applyProbes,
		OnError:  func(err error) { slog.Warn("probing external monitors", "error", err) },
		Options:  external.Options{Version: opts.Version, Transport: opts.ProbeTransport},
		Now:      b.store.Now,
	}
	wg.Go(func() { lease.whileHolding(ctx, func(term context.Context) { runner.Run(term) }) })
	wg.Go(func() { b.startNotifications(opts).Run(ctx) })
	wg.Go(func() { lease.whileHolding(ctx, b.runCompaction) })
	return func() {
		cancel()
		wg.Wait()
	}
}

// externalMonitors lists the external monitors to probe.
func (b *Backend) externalMonitors(ctx context.Context) ([]*monitor.Monitor, error) {
	list, err := b.store.ListMonitors(ctx)
	if err != nil {
		return nil, err
	}
	var out []*monitor.Monitor
	for _, sm := range list {
		if sm.Type != monitor.TypeExternal {
			continue
		}
		m, err := monitor.Decode(sm.Body)
		if err != nil {
			slog.Warn("skipping a monitor that does not decode", "id", sm.ID, "error", err)
			continue
		}
		m.ID = sm.ID
		out = append(out, m)
	}
	return out, nil
}

// applyProbes hands probe results to the engine.
func (b *Backend) applyProbes(ctx context.Context, results []external.Result) error {
	in := make([]engine.ProbeResult, len(results))
	for i, r := range results {
		in[i] = engine.ProbeResult{MonitorID: r.MonitorID, At: r.At, Status: r.Status, Message: r.Message, ResponseTime: r.ResponseTime}
	}
	return b.engine.ApplyProbeResults(ctx, in)
}

// noteEvent logs a failure to record a notification event: the change it
// reports is done and answered as such; only its notification is lost.
func (b *Backend) noteEvent(err error) {
	if err != nil {
		slog.Warn("recording a notification event", "error", err)
	}
}
