package chunk

import (
	"encoding/binary"
	"math"
	"math/bits"

	"github.com/mkr-dev/mkr/backend/store"
)

// The ratio value coding, for values that are quotients of integers: what
// an agent computes from counters, such as cpu.user.percentage =
// Δuser jiffies × 100 / Δtotal jiffies. Such a value has 53 "random" bits
// as a float and as a decimal, so neither XOR nor the decimal coding
// shrinks it, yet it is fully described by two small integers. A float
// division is correctly rounded, so n/d rounds to the value for every
// (n, d) of the same quotient: the coding finds the simplest one (a
// convergent of the value's continued fraction, which is the quotient
// whenever its denominator is small: Legendre's theorem), then scales it
// back up so that consecutive denominators are close (the Δtotal of
// consecutive minutes barely moves) and every numerator is a multiple of
// a common scale (the × 100). Checked bit for bit for every value, so the
// coding is exact or not used.
//
//	scale:uvarint      s >= 1: every numerator is a multiple of s
//	column(d)          the denominators, 1..2^53
//	column(n / s)      the numerators divided by s, |n| <= 2^53
//
// A column is its first integer as a varint, then, for more than one
// value, an order byte (0: the others as they are; 1: their differences)
// and the integers packed in groups (pack.go). A value is
// float64(n) / float64(d).
//
// Measured over chunktest's CPU percentages (BenchmarkBytesPerPointByShape):
// about 2 bytes a point where XOR takes 7.5.

// maxRatioDenominator bounds the simplest denominator searched for: far
// above a minute's jiffies on any machine (100 Hz × 60 s × 1,024 CPUs is
// 6.1 M), far below the ~2^26 that approximates any float to its last bit,
// so a block of arbitrary floats fails at its first value and goes to XOR.
const maxRatioDenominator = 1 << 24

// ratioOf returns the simplest quotient p/q (q > 0) that float64(p) /
// float64(q) rounds to v, bit for bit; false when there is none with q
// up to maxRatioDenominator (or v is -0, NaN or ±Inf).
func ratioOf(v float64) (p, q int64, ok bool) {
	switch {
	case v == 0:
		return 0, 1, !math.Signbit(v)
	case math.IsNaN(v) || math.IsInf(v, 0):
		return 0, 0, false
	}
	x := math.Abs(v)
	sign := int64(1)
	if v < 0 {
		sign = -1
	}
	frac, exp := math.Frexp(x) // x = frac × 2^exp, frac in [0.5, 1)
	m := uint64(frac * (1 << 53))
	shift := 53 - exp // x = m / 2^shift exactly (m has 53 bits for normal x)
	if shift <= 0 {
		if x > maxMantissa {
			return 0, 0, false
		}
		return sign * int64(x), 1, true // an integer
	}
	tz := min(bits.TrailingZeros64(m), shift)
	m, shift = m>>tz, shift-tz
	if shift == 0 {
		return sign * int64(m), 1, true
	}
	// Euclid's algorithm on m / 2^shift; each quotient a extends the
	// convergents h/k. (h0, k0) and (h1, k1) are the two latest.
	h0, h1, k0, k1 := uint64(0), uint64(1), uint64(1), uint64(0)
	var num, den uint64
	switch {
	case shift < 64:
		num, den = m, 1<<shift
	case shift-64 < 64 && uint64(1)<<(shift-64) < m:
		// x < 1: the first quotient is 0 (convergent 0/1, not x), the
		// second 2^shift / m, out of uint64's range.
		h0, h1, k0, k1 = h1, 0, k1, 1
		a, r := bits.Div64(1<<(shift-64), 0, m)
		h0, h1, k0, k1 = h1, a*h1+h0, k1, a*k1+k0
		if k1 > maxRatioDenominator {
			return 0, 0, false
		}
		if float64(h1)/float64(k1) == x {
			return sign * int64(h1), int64(k1), true
		}
		num, den = m, r
	default:
		return 0, 0, false // smaller than 2^-64: nothing a counter makes
	}
	for den != 0 {
		a, r := num/den, num%den
		if k1 != 0 && a > (maxRatioDenominator-k0)/k1 {
			return 0, 0, false
		}
		hi, h := bits.Mul64(a, h1)
		h += h0
		if hi != 0 || h > maxMantissa || h < h0 {
			return 0, 0, false
		}
		h0, h1, k0, k1 = h1, h, k1, a*k1+k0
		if float64(h1)/float64(k1) == x {
			return sign * int64(h1), int64(k1), true
		}
		num, den = den, r
	}
	return 0, 0, false
}

// appendRatio appends the codec byte and the ratio coding of the values,
// or returns b unchanged and false when some value is no small quotient.
func appendRatio(b []byte, points []store.Point) ([]byte, bool) {
	n := len(points)
	ps, qs := make([]int64, n), make([]int64, n)
	qmax := int64(1)
	for i, pt := range points {
		var ok bool
		if ps[i], qs[i], ok = ratioOf(pt.Value); !ok {
			return b, false
		}
		qmax = max(qmax, qs[i])
	}
	// The candidate scales: 1, and the common factor of the numerators of
	// the quotients that were not reduced much (a large denominator),
	// which is the × 100 of a percentage when most quotients are in
	// lowest terms already.
	var best []byte
	tried := map[int64]bool{}
	for _, within := range [][2]int64{{1, 1}, {2, 3}, {1, 2}} {
		s := int64(1)
		if within[0] != within[1] || within[0] != 1 {
			g := uint64(0)
			for i, q := range qs {
				if q*within[1] > qmax*within[0] && ps[i] != 0 {
					g = gcd(g, absDiff(ps[i], 0))
				}
			}
			s = int64(max(g, 1))
		}
		if tried[s] || s > maxRatioDenominator {
			continue
		}
		tried[s] = true
		if enc, ok := ratioColumns(ps, qs, qmax, s); ok && (best == nil || len(enc) < len(best)) {
			best = enc
		}
	}
	if best == nil {
		return b, false
	}
	return append(append(b, codecRatio), best...), true
}

// ratioColumns codes the quotients ps[i]/qs[i] with numerators multiples
// of s, scaling each quotient by the multiple k of s/gcd(p, s) that takes
// its denominator nearest the previous one (the block's largest at first).
func ratioColumns(ps, qs []int64, qmax, s int64) ([]byte, bool) {
	n := len(ps)
	ds, ns := make([]int64, n), make([]int64, n)
	ref := qmax
	for i, p := range ps {
		q := qs[i]
		step := s / int64(gcd(absDiff(p, 0), uint64(s))) // k must be a multiple of it
		k := max(1, (ref+q*step/2)/(q*step)) * step
		if q > maxMantissa/k || absDiff(p, 0) > uint64(maxMantissa/k) {
			k = step
			if q > maxMantissa/k || absDiff(p, 0) > uint64(maxMantissa/k) {
				return nil, false
			}
		}
		ds[i], ns[i] = q*k, p*k/s
		ref = ds[i]
	}
	b := binary.AppendUvarint(nil, uint64(s))
	b = appendColumn(b, ds)
	return appendColumn(b, ns), true
}

// appendColumn appends xs (at least one) as a column: the first as a
// varint, then the rest as they are or as differences, whichever packs
// smaller.
func appendColumn(b []byte, xs []int64) []byte {
	b = binary.AppendVarint(b, xs[0])
	if len(xs) == 1 {
		return b
	}
	diffs := make([]int64, len(xs)-1)
	for i := 1; i < len(xs); i++ {
		diffs[i-1] = xs[i] - xs[i-1] // |x| <= 2^53: no overflow
	}
	if packedSize(diffs) < packedSize(xs[1:]) {
		return appendPacked(append(b, 1), diffs)
	}
	return appendPacked(append(b, 0), xs[1:])
}

// decodeRatio fills the values of points from b, which must be exactly
// one ratio coding. The denominators are decoded into the values first
// (as float64, exact below 2^53), then divided into by the numerators, so
// a read allocates nothing.
func decodeRatio(b []byte, points []store.Point) bool {
	s, k := binary.Uvarint(b)
	if k <= 0 || s == 0 || s > maxMantissa {
		return false
	}
	b, ok := decodeColumn(b[k:], points, 1, true)
	if !ok {
		return false
	}
	b, ok = decodeColumn(b, points, int64(s), false)
	return ok && len(b) == 0
}

// decodeColumn reads one column into points: a denominator column sets
// each value to float64(d), a numerator column divides n × scale by it.
// It returns the rest of b.
func decodeColumn(b []byte, points []store.Point, scale int64, denominators bool) ([]byte, bool) {
	limit := int64(maxMantissa) / scale
	put := func(i int, x int64) bool {
		if denominators {
			if x < 1 || x > maxMantissa {
				return false
			}
			points[i].Value = float64(x)
			return true
		}
		if x < -limit || x > limit {
			return false
		}
		points[i].Value = float64(x*scale) / points[i].Value
		return true
	}
	x, k := binary.Varint(b)
	if k <= 0 || !put(0, x) {
		return nil, false
	}
	b = b[k:]
	if len(points) == 1 {
		return b, true
	}
	if len(b) < 1 || b[0] > 1 {
		return nil, false
	}
	diffs, ok := b[0] == 1, true
	b = b[1:]
	var group [groupSize]int64
	for i := 1; i < len(points); {
		xs := group[:min(groupSize, len(points)-i)]
		if b, ok = unpackGroup(b, xs); !ok {
			return nil, false
		}
		for _, v := range xs {
			if diffs {
				x += v // a corrupt block may wrap; put bounds the result
			} else {
				x = v
			}
			if !put(i, x) {
				return nil, false
			}
			i++
		}
	}
	return b, true
}
