// Package chunk encodes the sealed tier of the time-series store: one
// series' points over one day as one compressed block, engine-neutral so
// that every store implementation seals, reads and rolls up alike.
package chunk

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/mkr-dev/mkr/backend/store"
)

// ErrCorrupt reports a block that does not decode.
var ErrCorrupt = errors.New("chunk: corrupt block")

// Encode returns points, sorted by time with no repeated time, as one
// block. Decode(Encode(p)) returns p exactly (times to the second, values
// bit for bit, NaN payloads included).
//
// This first encoding is deliberately plain (varint time deltas, raw
// float64 bits): it fixes the API the stores build on; a compressed
// encoding replaces it behind the same two functions, its version byte
// telling them apart.
func Encode(points []store.Point) ([]byte, error) {
	b := make([]byte, 0, 1+binary.MaxVarintLen64+len(points)*10)
	b = append(b, versionPlain)
	b = binary.AppendUvarint(b, uint64(len(points)))
	var prev int64
	for i, p := range points {
		if i > 0 && p.Time <= prev {
			return nil, errors.New("chunk: points not sorted by time")
		}
		b = binary.AppendVarint(b, p.Time-prev)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p.Value))
		prev = p.Time
	}
	return b, nil
}

// Decode returns the points of a block made by Encode.
func Decode(b []byte) ([]store.Point, error) {
	if len(b) == 0 || b[0] != versionPlain {
		return nil, ErrCorrupt
	}
	b = b[1:]
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return nil, ErrCorrupt
	}
	b = b[k:]
	points := make([]store.Point, 0, n)
	var t int64
	for i := uint64(0); i < n; i++ {
		d, k := binary.Varint(b)
		if k <= 0 || len(b) < k+8 {
			return nil, ErrCorrupt
		}
		t += d
		points = append(points, store.Point{Time: t, Value: math.Float64frombits(binary.LittleEndian.Uint64(b[k:]))})
		b = b[k+8:]
	}
	if len(b) != 0 {
		return nil, ErrCorrupt
	}
	return points, nil
}

const versionPlain = 1
