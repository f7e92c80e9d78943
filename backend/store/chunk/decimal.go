package chunk

import (
	"encoding/binary"
	"math"

	"github.com/mkr-dev/mkr/backend/store"
)

// The decimal value coding. Agents post what they read as text ("0.52",
// "1048576", "37.5"), so most series are exact decimals with few digits:
// the block's values are v = m / 10^scale for integers m (mantissas) that
// fit a float64 exactly. Checked bit for bit for every value, so the
// coding is exact or not used.
//
// The mantissas are coded as m0, the first one, and g, the greatest common
// divisor of every m - m0 (memory in KiB multiples, percentages in steps
// of 0.5, counters that move by fixed amounts), then the values
// k = (m - m0) / g either as they are (order 0: bounded noise, flags) or as
// differences (order 1: random walks, counters), whichever packs smaller.
// They are packed in groups of 64 (pack.go).
//
//	scale:byte m0:varint g:uvarint    (g == 0: every value is m0)
//	order:byte group...               (g > 0)

const (
	maxScale = 15 // 10^15 keeps every smaller power of ten exact as a float64
	// maxMantissa bounds |m| so float64(m) is exact; then |k| <= 2^54, an
	// order-1 difference is within ±2^55, and a group's range fits maxWidth.
	maxMantissa = 1 << 53
	maxWidth    = 57
)

var pow10 = [maxScale + 1]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// mantissa returns m such that float64(m) / 10^scale is v, bit for bit
// (which excludes -0, NaN and ±Inf).
func mantissa(v float64, scale int) (int64, bool) {
	x := v * pow10[scale]
	if !(x >= -maxMantissa && x <= maxMantissa) {
		return 0, false
	}
	m := int64(math.Round(x))
	return m, math.Float64bits(float64(m)/pow10[scale]) == math.Float64bits(v)
}

// decimalScale finds a scale at which every value has a mantissa. A value
// exact at some scale stays exact at any larger one (the same rational,
// rounded once), so the scale only ever grows; appendDecimal still checks
// every mantissa at the final scale.
func decimalScale(points []store.Point) (int, bool) {
	scale := 0
	for _, p := range points {
		if _, ok := mantissa(p.Value, scale); ok {
			continue
		}
		for scale++; scale <= maxScale; scale++ {
			if _, ok := mantissa(p.Value, scale); ok {
				break
			}
		}
		if scale > maxScale {
			return 0, false
		}
	}
	return scale, true
}

// appendDecimal appends the codec byte and the decimal coding of the
// values, or returns b unchanged and false when they are not all exact
// decimals.
func appendDecimal(b []byte, points []store.Point) ([]byte, bool) {
	scale, ok := decimalScale(points)
	if !ok {
		return b, false
	}
	n := len(points)
	// ks holds the mantissas, then k = (m - m0) / g in place; diffs the
	// order-1 differences of ks[1:].
	buf := make([]int64, 2*n)
	ks, diffs := buf[:n], buf[n:]
	for i, p := range points {
		if ks[i], ok = mantissa(p.Value, scale); !ok {
			return b, false
		}
	}
	m0 := ks[0]
	var g uint64
	for _, m := range ks[1:] {
		if g == 1 {
			break
		}
		g = gcd(g, absDiff(m, m0))
	}
	b = append(b, codecDecimal, byte(scale))
	b = binary.AppendVarint(b, m0)
	b = binary.AppendUvarint(b, g)
	if g == 0 {
		return b, true
	}
	prev := int64(0)
	for i := 1; i < n; i++ {
		k := (ks[i] - m0) / int64(g)
		ks[i] = k
		diffs[i] = k - prev
		prev = k
	}
	order0, order1 := ks[1:], diffs[1:]
	if packedSize(order1) < packedSize(order0) {
		return appendPacked(append(b, 1), order1), true
	}
	return appendPacked(append(b, 0), order0), true
}

func absDiff(a, b int64) uint64 {
	if a > b {
		return uint64(a - b)
	}
	return uint64(b - a)
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// decodeDecimal fills the values of points from b, which must be exactly
// one decimal coding.
func decodeDecimal(b []byte, points []store.Point) bool {
	if len(b) < 1 || b[0] > maxScale {
		return false
	}
	scale := pow10[b[0]]
	b = b[1:]
	m0, k := binary.Varint(b)
	if k <= 0 || m0 < -maxMantissa || m0 > maxMantissa {
		return false
	}
	b = b[k:]
	g, k := binary.Uvarint(b)
	if k <= 0 || g > 2*maxMantissa {
		return false
	}
	b = b[k:]
	points[0].Value = float64(m0) / scale
	if g == 0 {
		for i := 1; i < len(points); i++ {
			points[i].Value = points[0].Value
		}
		return len(b) == 0
	}
	if len(points) == 1 || len(b) < 1 || b[0] > 1 {
		return false
	}
	diffs, ok := b[0] == 1, true
	b = b[1:]
	var kv int64
	var group [groupSize]int64
	for i := 1; i < len(points); {
		xs := group[:min(groupSize, len(points)-i)]
		if b, ok = unpackGroup(b, xs); !ok {
			return false
		}
		for _, x := range xs {
			if diffs {
				kv += x
			} else {
				kv = x
			}
			m := m0 + kv*int64(g)
			if m < -maxMantissa || m > maxMantissa {
				return false
			}
			points[i].Value = float64(m) / scale
			i++
		}
	}
	return len(b) == 0
}
