package promremote

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/internal/promfold"
)

// Sample-level drops, counted with the series refusals.
const (
	DroppedStale     Refusal = "stale"     // staleness markers: not data
	DroppedNotFinite Refusal = "notFinite" // NaN or ±Inf: the store keeps numbers
	DroppedBadTime   Refusal = "badTime"   // before 1970-01-01T00:00:01
	DroppedFuture    Refusal = "future"    // more than MaxAhead ahead of the server
	DroppedTooOld    Refusal = "tooOld"    // older than the back-fill window (the store's count)
	DroppedRetired   Refusal = "retiredHost"
	// DroppedSameSecond counts samples replaced by a later sample of the
	// same series in the same second (the store keeps one per second).
	DroppedSameSecond Refusal = "sameSecond"
)

// Routine says whether samples dropped for r are part of normal operation
// (staleness markers, sub-second samples) rather than worth a warning.
func (r Refusal) Routine() bool { return r == DroppedStale || r == DroppedSameSecond }

// Counts counts the samples not stored, by reason.
type Counts map[Refusal]int

// Total is the number of samples counted.
func (c Counts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// String lists the non-zero counts as "reason=n, …" in a stable order.
func (c Counts) String() string {
	keys := make([]string, 0, len(c))
	for k, v := range c {
		if v > 0 {
			keys = append(keys, string(k))
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, c[Refusal(k)])
	}
	return strings.Join(parts, ", ")
}

// Batch is a decoded write, ready for the store.
type Batch struct {
	Points  []store.SeriesPoint
	Dropped Counts
	// Example names one refused series and why, for the log.
	Example string
}

// Points maps series to store points (Mapper's rules). Timestamps are
// milliseconds; the store keeps seconds, so a sample's second is its
// timestamp truncated, and of several samples of a series in one second
// the last one sent is kept (Prometheus sends each series' samples in
// time order, so that is the newest). Staleness markers, NaN and ±Inf,
// times before 1970-01-01T00:00:01 and times more than maxAhead after now
// are dropped and counted; so is every sample of a refused series.
func (m *Mapper) Points(ctx context.Context, series []TimeSeries, now time.Time, maxAhead time.Duration) (Batch, error) {
	b := Batch{Dropped: Counts{}}
	latest := now.Add(maxAhead).Unix()
	for _, ts := range series {
		if ts.Histograms > 0 {
			b.refuse(RefusedHistogram, ts.Histograms, ts.Labels)
		}
		if len(ts.Samples) == 0 {
			continue
		}
		key, refusal, err := m.Map(ctx, ts.Labels)
		if err != nil {
			return Batch{}, err
		}
		if refusal != "" {
			b.refuse(refusal, len(ts.Samples), ts.Labels)
			continue
		}
		first := len(b.Points) // this series' points start here
		for _, s := range ts.Samples {
			switch {
			case IsStale(s.Value):
				b.Dropped[DroppedStale]++
				continue
			case math.IsNaN(s.Value) || math.IsInf(s.Value, 0):
				b.Dropped[DroppedNotFinite]++
				continue
			case s.Timestamp < 1000:
				b.Dropped[DroppedBadTime]++
				continue
			}
			t := s.Timestamp / 1000
			if t > latest {
				b.Dropped[DroppedFuture]++
				continue
			}
			if n := len(b.Points); n > first && b.Points[n-1].Time == t {
				b.Points[n-1].Value = s.Value // a later sample of the same second
				b.Dropped[DroppedSameSecond]++
				continue
			}
			b.Points = append(b.Points, store.SeriesPoint{Key: key, Point: store.Point{Time: t, Value: s.Value}})
		}
	}
	return b, nil
}

func (b *Batch) refuse(r Refusal, samples int, labels []Label) {
	b.Dropped[r] += samples
	if b.Example == "" {
		b.Example = fmt.Sprintf("%s (%s)", seriesName(labels), r)
	}
}

// seriesName prints a series as Prometheus does, for messages.
func seriesName(labels []Label) string {
	rest := map[string]string{}
	name := ""
	for _, l := range labels {
		if l.Name == LabelName {
			name = l.Value
		} else {
			rest[l.Name] = l.Value
		}
	}
	return promfold.SeriesID(name, rest)
}
