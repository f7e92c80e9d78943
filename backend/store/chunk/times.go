package chunk

import (
	"encoding/binary"
	"math"

	"github.com/mkr-dev/mkr/backend/store"
)

// The time coding: the first time as a varint, then the gaps between
// consecutive times run-length coded as (gap, repeats-1) uvarint pairs.
// Agents post on a fixed step, so a day of one-minute points is one run
// (four bytes for 1,440 times); each gap, jitter or burst costs a run.

func appendTimes(b []byte, points []store.Point) []byte {
	b = binary.AppendVarint(b, points[0].Time)
	for i := 1; i < len(points); {
		gap := uint64(points[i].Time - points[i-1].Time) // > 0: Encode checked the order
		j := i + 1
		for j < len(points) && uint64(points[j].Time-points[j-1].Time) == gap {
			j++
		}
		b = binary.AppendUvarint(b, gap)
		b = binary.AppendUvarint(b, uint64(j-i-1))
		i = j
	}
	return b
}

// decodeTimes fills the times of points from b and returns the rest of b.
func decodeTimes(b []byte, points []store.Point) ([]byte, bool) {
	t, k := binary.Varint(b)
	if k <= 0 {
		return nil, false
	}
	b = b[k:]
	points[0].Time = t
	// u is t mapped to uint64 keeping the order, so the overflow check is
	// one comparison.
	u := uint64(t) ^ 1<<63
	for i := 1; i < len(points); {
		gap, k := binary.Uvarint(b)
		if k <= 0 || gap == 0 {
			return nil, false
		}
		b = b[k:]
		rep, k := binary.Uvarint(b)
		if k <= 0 || rep >= uint64(len(points)-i) {
			return nil, false
		}
		b = b[k:]
		for end := i + int(rep) + 1; i < end; i++ {
			if gap > math.MaxUint64-u {
				return nil, false
			}
			u += gap
			points[i].Time = int64(u ^ 1<<63)
		}
	}
	return b, true
}
