package chunk

import (
	"errors"
	"math"
	"testing"
)

func TestRatioOfFindsTheQuotient(t *testing.T) {
	for _, c := range []struct {
		v    float64
		p, q int64
	}{
		{0, 0, 1},
		{7, 7, 1},
		{-3, -3, 1},
		{0.5, 1, 2},
		{float64(1234*100) / 6001, 123400, 6001},
		{float64(1200*100) / 6000, 20, 1},        // 120000/6000 in lowest terms
		{float64(-5) / 48007, -5, 48007},         // negative
		{3 / float64(16_000_003), 3, 16_000_003}, // a large denominator
		{float64(1<<53-1) / 2, 1<<53 - 1, 2},     // the largest numerator
	} {
		p, q, ok := ratioOf(c.v)
		if !ok || p != c.p || q != c.q {
			t.Errorf("ratioOf(%v) = %d/%d, %v; want %d/%d", c.v, p, q, ok, c.p, c.q)
		}
	}
	for _, v := range []float64{
		math.Pi,               // irrational: only a ~2^26 denominator rounds to it
		1 / float64(1<<40),    // a denominator past the bound
		1e-12 / 3,             // tiny
		float64(1<<60) + 4096, // an integer past 2^53
		math.Copysign(0, -1),  // -0 is no quotient
		math.Inf(1), math.Inf(-1), math.NaN(),
		math.SmallestNonzeroFloat64, // subnormal
	} {
		if p, q, ok := ratioOf(v); ok {
			t.Errorf("ratioOf(%v) = %d/%d, want none", v, p, q)
		}
	}
}

// TestRatioOfEveryCPUQuotient: every percentage busy×100/total of a
// minute of jiffies on 1 to 64 CPUs (100 Hz) is found, exactly.
func TestRatioOfEveryCPUQuotient(t *testing.T) {
	for _, total := range []int64{1, 7, 5999, 6000, 6001, 48_003, 384_000} {
		for busy := int64(0); busy <= total; busy += 1 + total/997 {
			v := float64(busy*100) / float64(total)
			p, q, ok := ratioOf(v)
			if !ok || math.Float64bits(float64(p)/float64(q)) != math.Float64bits(v) || q > total {
				t.Fatalf("ratioOf(%d×100/%d = %v) = %d/%d, %v", busy, total, v, p, q, ok)
			}
		}
	}
}

func TestRatioBlockScalesToTheTotal(t *testing.T) {
	// busy×100/total with total 6000±2: the denominators are coded near
	// 6000 and the numerators divided by 100, so far under 3 bytes.
	seed := lcg(11)
	ps := every(1440, 60, func(int) float64 {
		total := int64(5998 + seed.intn(5))
		return float64(int64(seed.intn(2000)+1000)*100) / float64(total)
	})
	b, err := Encode(ps)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	assertSame(t, got, ps)
	vals := valuesPart(t, b)
	if vals[0] != codecRatio || vals[1] != 100 {
		t.Fatalf("codec %d scale %d, want %d and 100", vals[0], vals[1], codecRatio)
	}
	if bpp := float64(len(b)) / 1440; bpp > 2.2 {
		t.Errorf("%.2f bytes per point, want at most 2.2", bpp)
	}
}

func TestDecodeRejectsCorruptRatioBlocks(t *testing.T) {
	// Two points 60 s apart: times 0, (60, 0 repeats).
	head := []byte{versionCompact, 2, 0, 60, 0, codecRatio}
	block := func(rest ...byte) []byte { return append(append([]byte{}, head...), rest...) }
	// Scale 1; d: 1 (varint 2), differences (1), a group of width 0 at
	// 0; n alike: 1/1 twice.
	good := block(1, 2, 1, 0, 0, 2, 1, 0, 0)
	if ps, err := Decode(good); err != nil || len(ps) != 2 || ps[0].Value != 1 || ps[1].Value != 1 {
		t.Fatalf("Decode(good) = %v, %v", ps, err)
	}
	bad := map[string][]byte{
		"scale zero":           block(0, 2, 1, 0, 0, 2, 1, 0, 0),
		"zero denominator":     block(1, 0, 1, 0, 0, 2, 1, 0, 0),
		"negative denominator": block(1, 1, 1, 0, 0, 2, 1, 0, 0),
		"numerator too large":  append(append(block(1, 2, 1, 0, 0), appendVarint(1<<54)...), 1, 0, 0),
		"scaled numerator":     append(append(block(0x80, 0x80, 0x80, 0x80, 0x01, 2, 1, 0, 0), appendVarint(1<<30)...), 1, 0, 0),
		"unknown order":        block(1, 2, 2, 0, 0, 2, 1, 0, 0),
		"one point, no order":  append([]byte{versionCompact, 1, 0, codecRatio, 1, 2}, 2, 1),
		"truncated":            good[:len(good)-1],
		"trailing byte":        append(append([]byte{}, good...), 0),
	}
	for name, b := range bad {
		if ps, err := Decode(b); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: Decode(%x) = %v, %v; want ErrCorrupt", name, b, ps, err)
		}
	}
}

// TestRatioFallsBackPerBlock: one value that is no small quotient sends
// the block to XOR, still exact.
func TestRatioFallsBackPerBlock(t *testing.T) {
	ps := every(100, 60, func(i int) float64 { return float64(i*100) / 6001 })
	ps[50].Value = math.Pi
	b, err := Encode(ps)
	if err != nil {
		t.Fatal(err)
	}
	if c := valuesPart(t, b)[0]; c != codecXOR {
		t.Errorf("codec %d, want XOR", c)
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	assertSame(t, got, ps)
}
