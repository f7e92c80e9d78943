// Package tiers holds the engine-neutral rules of the time-series tiers
// (store.TierStore) that the SQLite and PostgreSQL stores share: which days
// a Compact run seals and expires, how a sealed day is encoded, and how a
// rollup read is assembled from sealed days and days with rows. The SQL of
// each engine stays in its package; the codec is package chunk.
package tiers

import (
	"maps"
	"math"
	"slices"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/chunk"
)

// DefaultBatchPoints is how many points one sealing transaction moves,
// about: a few hundred milliseconds of work, so writers wait briefly
// behind a seal, never for long.
const DefaultBatchPoints = 50_000

// SealCandidates is how many series one sealing batch considers at most.
const SealCandidates = 256

// NoExpiry is the expire day of a run that keeps everything.
const NoExpiry = int64(math.MinInt64)

// Plan is what one Compact run does: seal the days before CutoffDay and
// drop those before ExpireDay (NoExpiry: none; never after CutoffDay).
type Plan struct {
	CutoffDay, ExpireDay int64
	BatchPoints          int
}

// PlanCompact resolves opts at now (epoch seconds) against the store's
// default retention.
func PlanCompact(now int64, opts store.CompactOptions, retention time.Duration) Plan {
	hot := opts.HotWindow
	if hot <= 0 {
		hot = store.DefaultHotWindow
	}
	if retention <= 0 {
		retention = store.DefaultRetention
	}
	p := Plan{CutoffDay: chunk.Day(now - int64(hot.Seconds())), ExpireDay: NoExpiry, BatchPoints: opts.BatchPoints}
	switch ret := opts.Retention; {
	case ret == 0:
		p.ExpireDay = chunk.Day(now - int64(retention.Seconds()))
	case ret > 0:
		p.ExpireDay = chunk.Day(now - int64(ret.Seconds()))
	}
	p.ExpireDay = min(p.ExpireDay, p.CutoffDay)
	if p.BatchPoints <= 0 {
		p.BatchPoints = DefaultBatchPoints
	}
	return p
}

// Block is one sealed day, encoded: its points and, beside them, its
// 5-minute and 1-hour rollups.
type Block struct {
	Data, Rollup5m, Rollup1h []byte
}

// EncodeBlock encodes a day's points (sorted, no repeated time).
func EncodeBlock(points []store.Point) (Block, error) {
	var b Block
	var err error
	if b.Data, err = chunk.Encode(points); err != nil {
		return b, err
	}
	if b.Rollup5m, err = chunk.EncodeRollups(chunk.RollUp(points, store.Step5m)); err != nil {
		return b, err
	}
	// Rolled up from the points, not from the 5-minute buckets: a sum of
	// sums adds in another order, and the stored hour must equal, to the
	// last bit, what a read rolls up from the same points as rows.
	b.Rollup1h, err = chunk.EncodeRollups(chunk.RollUp(points, store.Step1h))
	return b, err
}

// CheckStep refuses a rollup step other than Step5m and Step1h.
func CheckStep(step int64) error {
	if step != store.Step5m && step != store.Step1h {
		return &store.Error{Kind: store.KindInvalid, Message: "a rollup step is 300 or 3600 seconds"}
	}
	return nil
}

// SplitDays groups time-sorted points by UTC day.
func SplitDays(points []store.Point) map[int64][]store.Point {
	out := map[int64][]store.Point{}
	for i := 0; i < len(points); {
		day := chunk.Day(points[i].Time)
		j := i + 1
		for j < len(points) && chunk.Day(points[j].Time) == day {
			j++
		}
		out[day] = points[i:j:j]
		i = j
	}
	return out
}

// AppendInRange appends the points of pts with from <= time <= to.
func AppendInRange(dst, pts []store.Point, from, to int64) []store.Point {
	for _, p := range pts {
		if p.Time >= from && p.Time <= to {
			dst = append(dst, p)
		}
	}
	return dst
}

// AssembleRollups returns the buckets at step overlapping [from, to],
// oldest first, from the stored rollups of sealed days and the points of
// days with rows (already merged with their block, when they have one:
// such a day is rolled up from its points, not from its stale rollup).
func AssembleRollups(rowDays map[int64][]store.Point, sealed map[int64][]store.Rollup, from, to, step int64) []store.Rollup {
	// Sized once: growing it bucket by bucket was most of a 460-day
	// read's copying.
	n := 0
	for _, rs := range sealed {
		n += len(rs)
	}
	for _, pts := range rowDays {
		n += min(len(pts), int(store.Day/step))
	}
	out := make([]store.Rollup, 0, n)
	// Iterate over the days that have data, not over the range: from may
	// be 0 or far in the past.
	days := slices.Sorted(maps.Keys(rowDays))
	for day := range sealed {
		if _, ok := rowDays[day]; !ok {
			days = append(days, day)
		}
	}
	slices.Sort(days)
	for _, day := range days {
		rs, ok := sealed[day]
		if pts, hasRows := rowDays[day]; hasRows || !ok {
			rs = chunk.RollUp(pts, step)
		}
		for _, r := range rs {
			if r.Start+step > from && r.Start <= to {
				out = append(out, r)
			}
		}
	}
	return out
}
