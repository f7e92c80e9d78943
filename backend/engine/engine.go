// Package engine holds the monitoring rules of the embedded backend: the
// check-report state machine, what retiring a host does to its alerts,
// closing an alert by hand, and Advance, the periodic step that local mode
// and `mkr serve` both call.
//
// The rules are plain Go over store.Tx primitives and run inside one
// store transaction each, so a rejected or failed batch changes nothing.
// No SQL lives here; any store.Store implementation gets the same rules.
package engine

import (
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
)

// Engine applies the rules to a store. It keeps no state of its own (only
// a cache of parsed definitions, checked against the stored bytes), so any
// number of engines over one store agree.
type Engine struct {
	st  store.Store
	loc *time.Location

	cacheMu  sync.Mutex
	monitors map[string]decodedMonitor // parsed definitions, by id (see decoded)

	anomaly anomalyCache // trained models and evaluated ticks (anomaly*.go)

	// share, when above 0, paces the reads of a large evaluation: it
	// rests between chunks so that it takes about this share of the
	// time (SetShare).
	share atomic.Uint64 // math.Float64bits
	// chunk, when above 0, replaces hostChunk (tests).
	chunk int

	// passEvery, when above 0, is how often a full evaluation runs each
	// per-host monitor over the fleet (SetHostPassInterval); passes
	// records each monitor's last one (host_pass.go). Guarded by cacheMu.
	passEvery time.Duration
	passes    map[string]hostPassMark
	// passHold: the monitors that exist at the first full evaluation
	// under a pass interval, if it comes before then, wait until then
	// (host_pass.go); passBegun: that evaluation has run.
	passHold  time.Time
	passBegun bool
}

// New returns an engine over st.
func New(st store.Store) *Engine { return &Engine{st: st} }

// SetLocation sets where calendar rules (downtime recurrences) are
// computed; the default is the machine's local time zone.
func (e *Engine) SetLocation(loc *time.Location) { e.loc = loc }

// SetShare paces an evaluation of a large fleet: it rests between its
// chunks of hosts (host_pass.go) so that it uses about share of the time. mkr serve sets it: an evaluation of
// 50,000 hosts' metrics is seconds of CPU every 15 s, and in one burst it
// held up the posts arriving meanwhile. Local mode does not: a command
// catching up wants its answer now.
func (e *Engine) SetShare(share float64) { e.share.Store(math.Float64bits(share)) }

// SetHostPassInterval makes full evaluations run each per-host monitor
// (host metric, connectivity) over the whole fleet once per interval (by
// the clock's intervals: once a minute for time.Minute) rather than at
// every Advance; a monitor created or changed runs at the next Advance.
// The monitors that exist when the process starts evaluating (by its
// first full evaluation, if within an interval of since) first run one
// interval after since: a restarted serve's first minute is every agent's
// first post reading its series ids, and a fleet pass on top of it (cold
// caches, every host's points read from disk) pushed posts' p99 to
// 1.4 s; meanwhile the hosts that post are evaluated as they post.
// mkr serve sets a minute, the hosted service's evaluation step: its
// ticker runs every 15 s for the time-driven rules, its ingest hook
// evaluates host monitors on the hosts that post, and the fleet pass
// (50,000 hosts' points read four times a minute, 14% of serve's CPU)
// only catches what ingest does not see: downtimes that end, hosts back
// at work, hosts gone silent. Local mode runs it at every Advance.
func (e *Engine) SetHostPassInterval(d time.Duration, since time.Time) {
	e.cacheMu.Lock()
	defer e.cacheMu.Unlock()
	e.passEvery, e.passHold, e.passBegun = d, since.Add(d), false
}

func (e *Engine) shareNow() float64 { return math.Float64frombits(e.share.Load()) }

func (e *Engine) location() *time.Location {
	if e.loc == nil {
		return time.Local
	}
	return e.loc
}
