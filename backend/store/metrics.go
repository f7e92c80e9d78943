package store

import "context"

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
	// CountPoints counts every stored point (for tests and benchmarks).
	CountPoints(ctx context.Context) (int64, error)
}
