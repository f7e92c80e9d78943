package store

import (
	"context"
	"time"
)

// Point is one value of a series at a time (epoch seconds).
type Point struct {
	Time  int64
	Value float64
}

// SeriesKey names a series: a metric of a host or of a service.
type SeriesKey struct {
	Kind  string // "host" or "service"
	Owner string // host id or service name
	Name  string // metric name
}

// HostSeries and ServiceSeries build keys.
func HostSeries(hostID, name string) SeriesKey     { return SeriesKey{"host", hostID, name} }
func ServiceSeries(service, name string) SeriesKey { return SeriesKey{"service", service, name} }

// SeriesPoint is a point addressed to a series, as posted.
type SeriesPoint struct {
	Key SeriesKey
	Point
}

// InsertResult counts what InsertPointsSince did with each posted point:
// Stored + TooOld + RetiredHost is the number of points given.
type InsertResult struct {
	Stored      int // stored, or overwriting the value at the same time
	TooOld      int // older than the back-fill window
	RetiredHost int // addressed to a retired host
}

// Admit counts a point of series k at time t that an insert dropped and
// reports whether it is to be stored instead: a retired host's point is
// counted as such even when it is also too old (re-sending it would never
// help); a point before oldest is too old. The stores count Stored
// themselves (a repeat within one post overwrites).
func (r *InsertResult) Admit(k *SeriesKey, retired map[string]bool, t, oldest int64) bool {
	switch {
	case k.Kind == "host" && retired[k.Owner]:
		r.RetiredHost++
	case t < oldest:
		r.TooOld++
	default:
		return true
	}
	return false
}

// MetricStore keeps time series.
type MetricStore interface {
	// InsertPoints stores points all or none; a point at an existing
	// (series, time) overwrites the value.
	InsertPoints(ctx context.Context, points []SeriesPoint) error
	// InsertPointsSince is InsertPoints for the points at or after oldest;
	// older ones, and those of retired hosts, are dropped and counted in
	// the result. Every point's host or service must exist (KindNotFound),
	// dropped or not; on error nothing is stored.
	InsertPointsSince(ctx context.Context, points []SeriesPoint, oldest int64) (InsertResult, error)
	// Points returns the series' points with from <= time <= to, oldest
	// first; KindNotFound for a series that does not exist.
	Points(ctx context.Context, k SeriesKey, from, to int64) ([]Point, error)
	// LatestPoints returns the newest point of each (owner, name) pair that
	// has one; pairs without data are absent.
	LatestPoints(ctx context.Context, kind string, owners, names []string) (map[string]map[string]Point, error)
	// MetricNames returns the names of the owner's series that have data.
	MetricNames(ctx context.Context, kind, owner string) ([]string, error)
	// DeleteServiceMetrics removes the service's series whose names match
	// and returns how many it removed.
	DeleteServiceMetrics(ctx context.Context, service string, match func(name string) bool) (int, error)
	// CountPoints counts every stored point, hot and sealed (for tests and
	// benchmarks).
	CountPoints(ctx context.Context) (int64, error)

	TierStore
}

// The time-series tiers. Recent points are kept one per row (the hot
// tier), where a re-post overwrites; points of UTC days that ended more
// than the hot window ago are sealed into one compressed block per series
// and day, with that day's 5-minute and 1-hour rollups beside it; blocks
// older than the retention are dropped whole. Points and Rollups read
// across both tiers, so sealing never changes what a read returns.
const (
	// DefaultHotWindow: the hosted API's 24 h back-fill window plus a
	// margin, so a point that may still be posted (or re-posted) is a row.
	DefaultHotWindow = 26 * time.Hour
	// DefaultRetention is Mackerel's: 460 days at every resolution.
	DefaultRetention = 460 * 24 * time.Hour
	// Step5m and Step1h are the rollup steps, in seconds; both divide a
	// day, so every bucket lies in one sealed block.
	Step5m = 300
	Step1h = 3600
	// Day is a sealed block's span in seconds (a UTC day).
	Day = 86400
)

// Rollup is one bucket of a series at a step: the count, sum, minimum and
// maximum of its points with Start <= time < Start+step.
type Rollup struct {
	Start    int64
	Count    int64
	Sum      float64
	Min, Max float64
}

// Mean is the bucket's average, the value a coarse read returns.
func (r Rollup) Mean() float64 { return r.Sum / float64(r.Count) }

// CompactOptions tune TierStore.Compact. The zero value runs to
// completion with the defaults.
type CompactOptions struct {
	// Retention: blocks of days that ended longer ago are dropped (and
	// hot rows that old are deleted, not sealed). 0 means the retention
	// recorded in the database by a run with RecordRetention, else the
	// store's (store.Options.Retention, else DefaultRetention); negative
	// keeps everything.
	Retention time.Duration
	// RecordRetention records Retention (which must be positive) in the
	// database, before the run seals or drops anything, as the retention
	// later runs with Retention 0 keep. mkr serve records the retention
	// it runs with, so that a compaction run without one (mkr db compact)
	// never drops days serve would keep.
	RecordRetention bool
	// HotWindow: days that ended less than this ago stay rows (0:
	// DefaultHotWindow).
	HotWindow time.Duration
	// MaxBatches bounds an opportunistic run: it stops after this many
	// transactions and a later run resumes where it stopped. 0 runs to
	// completion. Bounded runs also skip at once, without looking at
	// every series, when the last completed run sealed up to the same day.
	MaxBatches int
	// BatchPoints is about how many points one transaction seals (0: the
	// implementation's default). Every batch commits on its own, so an
	// interrupted run loses only its current batch's work, never data.
	BatchPoints int
	// BeforeCommit, when set, is called inside each batch's transaction
	// after its writes; an error rolls the batch back and ends the run
	// with that error. Tests use it to interrupt a seal mid-way.
	BeforeCommit func(batch int) error
	// Share, when between 0 and 1, is the part of its wall time a run
	// may spend working: after each step (a batch, a page of series
	// looked at) it rests in proportion. mkr serve's background loop
	// uses it so that the once-a-day pass over every series (millions
	// under a large fleet) never takes the CPU from ingest. 0 (mkr db
	// compact, local mode's bounded seal) rests never.
	Share float64
}

// CompactResult says what Compact did.
type CompactResult struct {
	SealedPoints  int64 `json:"sealedPoints"`  // hot rows moved into blocks
	SealedBlocks  int   `json:"sealedBlocks"`  // blocks written (new or merged)
	MergedBlocks  int   `json:"mergedBlocks"`  // of which merged late points into an existing block
	ExpiredPoints int64 `json:"expiredPoints"` // points dropped by retention (blocks and rows)
	ExpiredBlocks int   `json:"expiredBlocks"` // blocks dropped by retention
	Batches       int   `json:"batches"`       // transactions committed
	Done          bool  `json:"done"`          // nothing is left to seal or expire
	// Retention is the retention the run kept (0: it kept everything).
	Retention time.Duration `json:"retention"`
}

// TierStore moves points between the tiers and reads rollups.
type TierStore interface {
	// Compact seals the hot rows of every day that ended more than the
	// hot window ago into blocks (merging them into a block the day
	// already has) and drops what is older than the retention, in
	// batches that each commit atomically: an interrupted run never loses
	// or doubles a point, and running it again finishes the work.
	Compact(ctx context.Context, opts CompactOptions) (CompactResult, error)
	// Rollups returns the series' buckets at step (Step5m or Step1h) that
	// overlap from <= time <= to, oldest first, computed from sealed
	// rollups and, for days with rows, from the rows; KindNotFound for a
	// series that does not exist, KindInvalid for another step.
	Rollups(ctx context.Context, k SeriesKey, from, to int64, step int64) ([]Rollup, error)
}
