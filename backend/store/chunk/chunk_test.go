package chunk

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

const day0 = 1714953600 // 2024-05-06T00:00:00Z

// every returns n points step seconds apart from day0, valued by f(i).
func every(n int, step int64, f func(i int) float64) []store.Point {
	ps := make([]store.Point, n)
	for i := range ps {
		ps[i] = store.Point{Time: day0 + int64(i)*step, Value: f(i)}
	}
	return ps
}

// lcg is a tiny deterministic noise source for the shapes below.
type lcg uint64

func (s *lcg) next() uint64 {
	*s = *s*6364136223846793005 + 1442695040888963407
	return uint64(*s >> 11)
}

func (s *lcg) intn(n int) int { return int(s.next() % uint64(n)) }

var shapes = []struct {
	name   string
	points []store.Point
	codec  byte    // the value coding Encode must pick
	maxBPP float64 // bytes per point the block must not exceed
}{
	{"empty", nil, 0, 2},
	{"one point", every(1, 60, func(int) float64 { return 42 }), codecDecimal, 16},
	{"constant integer", every(1440, 60, func(int) float64 { return 8_254_611_456 }), codecDecimal, 0.02},
	{"constant zero", every(1440, 60, func(int) float64 { return 0 }), codecDecimal, 0.02},
	{"two-decimal load average", walk(1440, 1, 2, 0, 400, 25), codecDecimal, 1.1},
	{"counter", counter(1440), codecDecimal, 1.3},
	{"memory bytes in KiB", scaled(walk(1440, 2, 0, 2_000_000, 4_000_000, 5000), 1024), codecDecimal, 2.4},
	{"percentage one decimal", walk(1440, 3, 1, 0, 1000, 40), codecDecimal, 1.1},
	{"mostly zero", every(1440, 60, func(i int) float64 { return float64(i % 97 / 96 * (i % 13)) }), codecDecimal, 0.1},
	{"flag 0 or 1", every(1440, 60, func(i int) float64 { return float64(i / 7 % 2) }), codecDecimal, 0.2},
	{"cpu ratio full precision", every(1440, 60, func(i int) float64 { return 100 * float64(i%97+3) / float64(6000+i%13) }), codecRatio, 2.5},
	{"negative quotients", every(1440, 60, func(i int) float64 { return -float64(i%89+1) / float64(7+i%5) }), codecRatio, 2.5},
	{"quotients of a growing total", every(1440, 60, func(i int) float64 { return float64(i) / float64(1000+i) }), codecRatio, 4},
	{"irrational floats", every(1440, 60, func(i int) float64 { return math.Sqrt(float64(i + 2)) }), codecXOR, 8.5},
	{"NaN, Inf and -0", []store.Point{
		{Time: day0, Value: math.NaN()},
		{Time: day0 + 60, Value: math.Float64frombits(0x7ff8_0000_dead_beef)},
		{Time: day0 + 120, Value: math.Inf(1)},
		{Time: day0 + 180, Value: math.Inf(-1)},
		{Time: day0 + 240, Value: math.Copysign(0, -1)},
		{Time: day0 + 300, Value: 0},
		{Time: day0 + 360, Value: math.SmallestNonzeroFloat64},
		{Time: day0 + 420, Value: math.MaxFloat64},
	}, codecXOR, 12},
	{"decimals with one -0", append(walk(100, 4, 2, 0, 100, 3), store.Point{Time: day0 + 100*60, Value: math.Copysign(0, -1)}), codecXOR, 8},
	{"sub-minute burst and gap", burst(), codecDecimal, 2},
	{"irregular seconds", irregular(1440), codecDecimal, 4},
	{"extreme times", []store.Point{{Time: math.MinInt64, Value: 1}, {Time: 0, Value: 2}, {Time: math.MaxInt64, Value: 3}}, codecDecimal, 16},
	{"huge and tiny values", every(100, 60, func(i int) float64 { return math.Pow(10, float64(i%40-20)) }), codecXOR, 9},
	{"largest exact mantissas", every(64, 60, func(i int) float64 { return float64(1<<53 - i%2*(1<<54)) }), codecDecimal, 9},
	{"15 fractional digits", every(64, 60, func(i int) float64 { return float64(i) / 1e15 }), codecDecimal, 2},
}

// walk is a random walk of decimals with the given fractional digits,
// between lo and hi mantissas, moving by at most step each point.
func walk(n int, seed lcg, digits int, lo, hi, step int) []store.Point {
	m := (lo + hi) / 2
	return every(n, 60, func(int) float64 {
		m = min(hi, max(lo, m+seed.intn(2*step+1)-step))
		return float64(m) / pow10[digits]
	})
}

func scaled(ps []store.Point, f float64) []store.Point {
	for i := range ps {
		ps[i].Value *= f
	}
	return ps
}

func counter(n int) []store.Point {
	seed, c := lcg(5), 1_000_000
	return every(n, 60, func(int) float64 { c += 900 + seed.intn(200); return float64(c) })
}

// burst: an hour of minute points, an hour at 10 seconds, an hour's gap,
// then minutes again.
func burst() []store.Point {
	var ps []store.Point
	seed, t := lcg(6), int64(day0)
	add := func(n int, step int64) {
		for range n {
			ps = append(ps, store.Point{Time: t, Value: float64(seed.intn(10000)) / 100})
			t += step
		}
	}
	add(60, 60)
	add(360, 10)
	t += 3600
	add(600, 60)
	return ps
}

// irregular: times 1 to 120 seconds apart, two-decimal values.
func irregular(n int) []store.Point {
	seed, t := lcg(7), int64(day0)
	ps := make([]store.Point, n)
	for i := range ps {
		t += 1 + int64(seed.intn(120))
		ps[i] = store.Point{Time: t, Value: float64(seed.intn(5000)) / 100}
	}
	return ps
}

func appendUvarint(n int) []byte  { return binary.AppendUvarint(nil, uint64(n)) }
func appendVarint(n int64) []byte { return binary.AppendVarint(nil, n) }

func TestRoundTripShapes(t *testing.T) {
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			b, err := Encode(s.points)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Decode(b)
			if err != nil {
				t.Fatalf("Decode(Encode) = %v", err)
			}
			assertSame(t, got, s.points)
			if len(s.points) > 0 {
				if c := b[len(b)-len(valuesPart(t, b))]; c != s.codec {
					t.Errorf("codec %d, want %d", c, s.codec)
				}
			}
			if bpp := float64(len(b)) / float64(max(1, len(s.points))); bpp > s.maxBPP {
				t.Errorf("%.3f bytes per point, want at most %.3f", bpp, s.maxBPP)
			}
		})
	}
}

// valuesPart returns the part of block b from its codec byte on.
func valuesPart(t *testing.T, b []byte) []byte {
	t.Helper()
	ps, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	head := append([]byte{versionCompact}, appendUvarint(len(ps))...)
	return b[len(appendTimes(head, ps)):]
}

func assertSame(t *testing.T, got, want []store.Point) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d points, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Time != want[i].Time || math.Float64bits(got[i].Value) != math.Float64bits(want[i].Value) {
			t.Fatalf("point %d = {%d %v (%#x)}, want {%d %v (%#x)}", i,
				got[i].Time, got[i].Value, math.Float64bits(got[i].Value),
				want[i].Time, want[i].Value, math.Float64bits(want[i].Value))
		}
	}
}

func TestEncodeRefusesUnsortedAndOversized(t *testing.T) {
	for name, ps := range map[string][]store.Point{
		"repeated time":  {{Time: 60, Value: 1}, {Time: 60, Value: 2}},
		"going back":     {{Time: 120, Value: 1}, {Time: 60, Value: 2}},
		"too many":       every(MaxPoints+1, 1, func(int) float64 { return 0 }),
		"back after run": append(every(10, 60, func(int) float64 { return 0 }), store.Point{Time: day0, Value: 0}),
	} {
		if b, err := Encode(ps); err == nil {
			t.Errorf("%s: Encode = %x, want an error", name, b)
		}
	}
}

func TestDecodeReadsThePlainVersion(t *testing.T) {
	want := append(burst(), shapes[10].points[0])
	want[len(want)-1].Time = want[len(want)-2].Time + 1
	got, err := Decode(encodePlain(want))
	if err != nil {
		t.Fatal(err)
	}
	assertSame(t, got, want)
}

// sparseBlock is three points valued 0, 0, 1 whose second group is coded
// sparse, with the given group bytes from the exception count on.
func sparseBlock(group ...byte) []byte {
	head := []byte{versionCompact, 3, 0, 60, 1, codecDecimal, 0, 0, 1, 0, sparseFlag | 1, 0}
	return append(head, group...)
}

func TestDecodeReadsASparseGroup(t *testing.T) {
	// One exception: index 1 (000001), value - lo 1 (1), padding 0.
	got, err := Decode(sparseBlock(1, 0b0000011_0))
	if err != nil {
		t.Fatal(err)
	}
	assertSame(t, got, []store.Point{{Time: 0, Value: 0}, {Time: 60, Value: 0}, {Time: 120, Value: 1}})
}

func TestDecodeRejectsCorruptBlocks(t *testing.T) {
	good, err := Encode(walk(200, 9, 2, 0, 1000, 50))
	if err != nil {
		t.Fatal(err)
	}
	xor, err := Encode(every(200, 60, func(i int) float64 { return 1 / float64(i+3) }))
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string][]byte{
		"empty":               {},
		"unknown version":     {9, 0},
		"count only":          {versionCompact, 5},
		"count over limit":    append([]byte{versionCompact}, appendUvarint(MaxPoints+1)...),
		"zero gap":            {versionCompact, 2, 0, 0, 0, codecDecimal, 0, 0, 0},
		"run too long":        {versionCompact, 2, 0, 120, 5, codecDecimal, 0, 0, 0},
		"unknown codec":       {versionCompact, 1, 0, 7},
		"scale too large":     {versionCompact, 1, 0, codecDecimal, maxScale + 1, 0, 0},
		"time overflow":       append(append([]byte{versionCompact, 2}, appendVarint(math.MaxInt64)...), 1, 0, codecDecimal, 0, 0, 0),
		"trailing byte":       append(append([]byte{}, good...), 0),
		"xor trailing byte":   append(append([]byte{}, xor...), 0),
		"truncated":           good[:len(good)-1],
		"xor truncated":       xor[:len(xor)-1],
		"plain short":         {versionPlain, 3, 2, 1},
		"sparse zero value":   sparseBlock(1, 0b0000010_0),
		"sparse index out":    sparseBlock(1, 0b0000101_0),
		"sparse all values":   sparseBlock(2, 0b0000001_1, 0b0000011_0),
		"sparse padding":      sparseBlock(1, 0b0000011_1),
		"sparse no exception": sparseBlock(0),
		"width over limit":    {versionCompact, 2, 0, 60, 0, codecDecimal, 0, 0, 1, 0, maxWidth + 1, 0, 0, 0, 0, 0, 0, 0, 0},
	}
	for name, b := range bad {
		if ps, err := Decode(b); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: Decode(%x) = %d points, %v; want ErrCorrupt", name, b, len(ps), err)
		}
	}
}

func TestDecodeAppendFillsOneSliceAndKeepsItOnError(t *testing.T) {
	a, b := walk(300, 10, 2, 0, 900, 20), burst()
	blockA, err := Encode(a)
	if err != nil {
		t.Fatal(err)
	}
	blockB := encodePlain(b)
	all, err := DecodeAppend(nil, blockA)
	if err != nil {
		t.Fatal(err)
	}
	if all, err = DecodeAppend(all, blockB); err != nil {
		t.Fatal(err)
	}
	assertSame(t, all, append(append([]store.Point{}, a...), b...))

	kept := all[:len(a):len(a)] // no spare capacity: a failed append must not write through
	got, err := DecodeAppend(kept, blockA[:len(blockA)-1])
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("truncated block: err %v, want ErrCorrupt", err)
	}
	assertSame(t, got, a)
}
