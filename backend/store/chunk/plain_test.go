package chunk

import (
	"encoding/binary"
	"math"

	"github.com/mkr-dev/mkr/backend/store"
)

// encodePlain is the version 1 coding (varint time deltas, raw float64
// bits), kept as the baseline of the benchmarks and to test that Decode
// still reads it.
func encodePlain(points []store.Point) []byte {
	b := make([]byte, 0, 1+binary.MaxVarintLen64+len(points)*10)
	b = append(b, versionPlain)
	b = binary.AppendUvarint(b, uint64(len(points)))
	var prev int64
	for _, p := range points {
		b = binary.AppendVarint(b, p.Time-prev)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p.Value))
		prev = p.Time
	}
	return b
}
