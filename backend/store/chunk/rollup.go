package chunk

import (
	"encoding/binary"
	"fmt"

	"github.com/mkr-dev/mkr/backend/store"
)

// The rollup math of the sealed tier, shared by every store engine:
// bucketing points at a step, merging late points into a sealed day, and
// the compact encoding of a day's buckets kept beside its block.

// RollUp returns the buckets of points (sorted by time) at step seconds:
// one store.Rollup per step-aligned interval that holds a point, oldest
// first.
func RollUp(points []store.Point, step int64) []store.Rollup {
	var out []store.Rollup
	for _, p := range points {
		start := floorStep(p.Time, step)
		if n := len(out); n > 0 && out[n-1].Start == start {
			r := &out[n-1]
			r.Count++
			r.Sum += p.Value
			r.Min = min(r.Min, p.Value)
			r.Max = max(r.Max, p.Value)
			continue
		}
		out = append(out, store.Rollup{Start: start, Count: 1, Sum: p.Value, Min: p.Value, Max: p.Value})
	}
	return out
}

// floorStep is t rounded down to a multiple of step (also for negative t).
func floorStep(t, step int64) int64 {
	r := t % step
	if r < 0 {
		r += step
	}
	return t - r
}

// Day returns the UTC day number of an epoch second (negative before
// 1970): the key of the block that holds it.
func Day(t int64) int64 { return floorStep(t, store.Day) / store.Day }

// MergePoints merges two time-sorted lists into one; at a time present in
// both, newer's value wins (a late post overwrites, as in the hot tier).
func MergePoints(older, newer []store.Point) []store.Point {
	if len(older) == 0 {
		return newer
	}
	if len(newer) == 0 {
		return older
	}
	out := make([]store.Point, 0, len(older)+len(newer))
	i, j := 0, 0
	for i < len(older) && j < len(newer) {
		switch a, b := older[i], newer[j]; {
		case a.Time < b.Time:
			out = append(out, a)
			i++
		case a.Time > b.Time:
			out = append(out, b)
			j++
		default:
			out = append(out, b)
			i++
			j++
		}
	}
	out = append(out, older[i:]...)
	return append(out, newer[j:]...)
}

// EncodeRollups returns buckets (sorted by Start, as RollUp makes them) as
// one blob: the counts run-length encoded (a regular series has the same
// count in every bucket), then the sums, minimums and maximums as three
// blocks of Encode with the buckets' starts as times, so they compress
// as well as the points themselves.
func EncodeRollups(rs []store.Rollup) ([]byte, error) {
	b := []byte{versionRollup}
	b = binary.AppendUvarint(b, uint64(len(rs)))
	for i := 0; i < len(rs); {
		j := i + 1
		for j < len(rs) && rs[j].Count == rs[i].Count {
			j++
		}
		b = binary.AppendUvarint(b, uint64(rs[i].Count))
		b = binary.AppendUvarint(b, uint64(j-i))
		i = j
	}
	col := make([]store.Point, len(rs))
	for _, field := range []func(store.Rollup) float64{
		func(r store.Rollup) float64 { return r.Sum },
		func(r store.Rollup) float64 { return r.Min },
		func(r store.Rollup) float64 { return r.Max },
	} {
		for i, r := range rs {
			col[i] = store.Point{Time: r.Start, Value: field(r)}
		}
		enc, err := Encode(col)
		if err != nil {
			return nil, fmt.Errorf("chunk: rollups: %w", err)
		}
		b = binary.AppendUvarint(b, uint64(len(enc)))
		b = append(b, enc...)
	}
	return b, nil
}

// DecodeRollups returns the buckets of a blob made by EncodeRollups.
func DecodeRollups(b []byte) ([]store.Rollup, error) {
	if len(b) == 0 || b[0] != versionRollup {
		return nil, ErrCorrupt
	}
	b = b[1:]
	n, k := binary.Uvarint(b)
	if k <= 0 || n > maxRollupBuckets {
		return nil, ErrCorrupt
	}
	b = b[k:]
	rs := make([]store.Rollup, 0, min(n, 4096))
	for uint64(len(rs)) < n {
		count, k1 := binary.Uvarint(b)
		if k1 <= 0 {
			return nil, ErrCorrupt
		}
		run, k2 := binary.Uvarint(b[k1:])
		if k2 <= 0 || run == 0 || run > n-uint64(len(rs)) {
			return nil, ErrCorrupt
		}
		b = b[k1+k2:]
		for range run {
			rs = append(rs, store.Rollup{Count: int64(count)})
		}
	}
	for c := range 3 {
		size, k := binary.Uvarint(b)
		if k <= 0 || size > uint64(len(b)-k) {
			return nil, ErrCorrupt
		}
		col, err := Decode(b[k : k+int(size)])
		if err != nil || uint64(len(col)) != n {
			return nil, ErrCorrupt
		}
		b = b[k+int(size):]
		for i, p := range col {
			r := &rs[i]
			switch c {
			case 0:
				r.Start, r.Sum = p.Time, p.Value
			case 1:
				if p.Time != r.Start {
					return nil, ErrCorrupt
				}
				r.Min = p.Value
			case 2:
				if p.Time != r.Start {
					return nil, ErrCorrupt
				}
				r.Max = p.Value
			}
		}
	}
	if len(b) != 0 {
		return nil, ErrCorrupt
	}
	return rs, nil
}

// Coarsen re-buckets rollups (sorted, at a step that divides step) at
// step: how a 1-hour bucket is made of twelve 5-minute ones.
func Coarsen(rs []store.Rollup, step int64) []store.Rollup {
	var out []store.Rollup
	for _, r := range rs {
		start := floorStep(r.Start, step)
		if n := len(out); n > 0 && out[n-1].Start == start {
			o := &out[n-1]
			o.Count += r.Count
			o.Sum += r.Sum
			o.Min = min(o.Min, r.Min)
			o.Max = max(o.Max, r.Max)
			continue
		}
		r.Start = start
		out = append(out, r)
	}
	return out
}

// versionRollup tags EncodeRollups' format (distinct from the blocks'
// version bytes, so one is never decoded as the other).
const versionRollup = 0x52

// maxRollupBuckets bounds what a corrupt blob can make DecodeRollups
// allocate: a day holds 288 buckets of 5 minutes.
const maxRollupBuckets = 1 << 20
