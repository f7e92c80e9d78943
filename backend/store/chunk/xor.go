package chunk

import (
	"github.com/mkr-dev/mkr/backend/store"

	"math"
	"math/bits"
)

// The XOR value coding (Gorilla's, from Facebook's 2015 paper, with 6-bit
// fields): the first value's 64 bits, then for each next value the XOR of
// its bits with the previous value's:
//
//	0                            same bits as the previous value
//	10 <bits>                    the XOR's set bits fit in the previous window
//	11 <lead:6> <len-1:6> <bits> a new window: lead zero bits, len meaningful bits
//
// It takes any float64, NaN payloads, ±Inf and -0 included, so it is the
// fallback for blocks the decimal coding cannot represent exactly.

func appendXOR(b []byte, points []store.Point) []byte {
	w := bitWriter{b: b}
	prev := math.Float64bits(points[0].Value)
	w.write(prev, 64)
	var lead, sig uint // the current window; sig == 0 before the first one
	for _, p := range points[1:] {
		cur := math.Float64bits(p.Value)
		x := cur ^ prev
		prev = cur
		if x == 0 {
			w.write(0, 1)
			continue
		}
		l, t := uint(bits.LeadingZeros64(x)), uint(bits.TrailingZeros64(x))
		if sig > 0 && l >= lead && t >= 64-lead-sig {
			w.write(0b10, 2)
			w.write(x>>(64-lead-sig), sig)
			continue
		}
		lead, sig = l, 64-l-t
		w.write(0b11, 2)
		w.write(uint64(lead), 6)
		w.write(uint64(sig-1), 6)
		w.write(x>>t, sig)
	}
	return w.bytes()
}

func decodeXOR(b []byte, points []store.Point) bool {
	r := bitReader{b: b}
	prev := r.read64(64)
	points[0].Value = math.Float64frombits(prev)
	var lead, sig uint
	for i := 1; i < len(points); i++ {
		if r.read(1) == 1 {
			if r.read(1) == 1 {
				lead = uint(r.read(6))
				sig = uint(r.read(6)) + 1
				if lead+sig > 64 {
					return false
				}
			} else if sig == 0 {
				return false // a reuse before any window
			}
			prev ^= r.read64(sig) << (64 - lead - sig)
		}
		if r.short {
			return false
		}
		points[i].Value = math.Float64frombits(prev)
	}
	return r.done()
}
