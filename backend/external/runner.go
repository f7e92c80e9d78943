package external

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/mkr-dev/mkr/backend/monitor"
)

// Defaults of Runner.
const (
	DefaultInterval    = time.Minute
	DefaultConcurrency = 16
)

// Runner probes every external monitor once per Interval and hands each
// round's results to Apply. It is the scheduler `mkr serve` runs; the
// judgement of a probe is Probe's and the alerts are the engine's.
//
// A round starts at once when Run is called and then on every tick. A slow
// round does not hold the next one back: the next round probes the monitors
// that are free and skips those still in flight. A monitor counts as in
// flight until its round's results were applied, so one monitor is never
// probed twice at a time and its results reach Apply in order.
type Runner struct {
	// Monitors lists the monitors to probe; it is called every round, so
	// monitors created or deleted meanwhile are picked up. Monitors of
	// other types are ignored.
	Monitors func(ctx context.Context) ([]*monitor.Monitor, error)
	// Apply receives one round's results, in the order Monitors listed
	// them. Calls never overlap. Results of a round cut short by the end
	// of Run are dropped, not applied.
	Apply func(ctx context.Context, results []Result) error
	// OnError hears errors from Monitors and Apply (a round with an error
	// is skipped, the next one runs as usual). Optional.
	OnError func(error)

	Interval    time.Duration // default 1 minute
	Concurrency int           // probes at a time, default 16
	Options     Options
	// Now is the clock probes are stamped and judged with; default
	// time.Now.
	Now func() time.Time
}

// runState is what the rounds of one Run share.
type runState struct {
	*Runner
	slots  chan struct{} // one token per probe running
	rounds sync.WaitGroup

	mu       sync.Mutex
	inFlight map[string]bool // monitor ids probed and not yet applied

	applyMu sync.Mutex
}

// Run probes until ctx is cancelled, then waits for its probes to stop and
// returns ctx.Err().
func (r *Runner) Run(ctx context.Context) error {
	if r.Monitors == nil || r.Apply == nil {
		return errors.New("external: Runner needs Monitors and Apply")
	}
	interval := r.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	concurrency := r.Concurrency
	if concurrency <= 0 {
		concurrency = DefaultConcurrency
	}
	s := &runState{Runner: r, slots: make(chan struct{}, concurrency), inFlight: map[string]bool{}}
	defer s.rounds.Wait()

	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		s.startRound(ctx)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
		}
	}
}

// startRound lists the monitors, claims the free ones and probes them in
// the background.
func (s *runState) startRound(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	all, err := s.Monitors(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.report(err)
		}
		return
	}
	claimed := s.claim(all)
	if len(claimed) == 0 {
		return
	}
	s.rounds.Add(1)
	go func() {
		defer s.rounds.Done()
		defer s.release(claimed)
		results, complete := s.probeAll(ctx, claimed)
		if !complete || ctx.Err() != nil {
			return
		}
		s.applyMu.Lock()
		defer s.applyMu.Unlock()
		if err := s.Apply(ctx, results); err != nil {
			s.report(err)
		}
	}()
}

// claim picks the external monitors that are not in flight, each id once,
// and marks them in flight.
func (s *runState) claim(all []*monitor.Monitor) []*monitor.Monitor {
	s.mu.Lock()
	defer s.mu.Unlock()
	var claimed []*monitor.Monitor
	for _, m := range all {
		if m == nil || m.Type != monitor.TypeExternal || s.inFlight[m.ID] {
			continue
		}
		s.inFlight[m.ID] = true
		claimed = append(claimed, m)
	}
	return claimed
}

func (s *runState) release(claimed []*monitor.Monitor) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range claimed {
		delete(s.inFlight, m.ID)
	}
}

// probeAll probes ms, at most len(s.slots) at a time across all rounds. It
// reports false when ctx ended before every probe could start.
func (s *runState) probeAll(ctx context.Context, ms []*monitor.Monitor) ([]Result, bool) {
	results := make([]Result, len(ms))
	var probes sync.WaitGroup
	defer probes.Wait()
	for i, m := range ms {
		select {
		case s.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, false
		}
		probes.Add(1)
		go func() {
			defer probes.Done()
			defer func() { <-s.slots }()
			results[i] = Probe(ctx, m, s.now(), s.Options)
		}()
	}
	probes.Wait()
	return results, true
}

func (s *runState) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *runState) report(err error) {
	if s.OnError != nil {
		s.OnError(err)
	}
}
