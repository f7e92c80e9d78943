package chunk

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// pointsFromBytes turns fuzz input into sorted points, 10 bytes a point:
// a gap byte, a mode byte and 8 value bytes, the mode choosing between raw
// float bits (any NaN, ±Inf, -0), a short decimal, a repeat, a small step
// and a quotient of integers, so every coding and their switches get
// explored.
func pointsFromBytes(data []byte) []store.Point {
	var ps []store.Point
	t := int64(binary.LittleEndian.Uint64(append(data[:min(8, len(data)):min(8, len(data))], make([]byte, 8)...)))
	v := 0.0
	for ; len(data) >= 10 && len(ps) < 4096; data = data[10:] {
		gap := int64(data[0]) + 1
		if data[0] == 255 {
			gap = 1 << 40
		}
		if len(ps) > 0 {
			if t > math.MaxInt64-gap {
				break
			}
			t += gap
		}
		raw := binary.LittleEndian.Uint64(data[2:])
		switch data[1] % 5 {
		case 0:
			v = math.Float64frombits(raw)
		case 1:
			v = float64(int32(raw)) / pow10[data[1]>>2%(maxScale+1)]
		case 2: // repeat
		case 3:
			v += float64(int8(raw))
		case 4:
			v = float64(int32(raw)) / float64(uint32(raw>>32)>>(data[1]>>3)+1)
		}
		ps = append(ps, store.Point{Time: t, Value: v})
	}
	return ps
}

func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("0123456789abcdefghij"))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 59, 1, 52, 0, 0, 0, 0, 0, 0, 0, 59, 3, 1, 0, 0, 0, 0, 0, 0, 0, 59, 2, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 255, 0, 1, 0, 0, 0, 0, 0, 0xf8, 0x7f, 0, 5, 7, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		ps := pointsFromBytes(data)
		b, err := Encode(ps)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(b)
		if err != nil {
			t.Fatalf("Decode(Encode(%d points)) = %v", len(ps), err)
		}
		assertSame(t, got, ps)
	})
}

func FuzzDecode(f *testing.F) {
	for _, s := range shapes {
		b, err := Encode(s.points)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(encodePlain(burst()))
	f.Add([]byte{versionCompact, 3, 0, 60, 1, codecDecimal, 0, 0, 1, 1, 2, 0, 0x40})
	f.Add([]byte{versionCompact, 0xff, 0xff, 0x07, 0, 1, 0xfe, 0xff, 0x07, codecDecimal, 0, 2, 0})
	f.Add([]byte{versionCompact, 2, 0, 60, 0, codecRatio, 1, 0xc, 0, 0, 0xe, 0x90, 0x3, 1, 0, 0}) // 100/3, 200/7
	f.Fuzz(func(t *testing.T, b []byte) {
		prefix := []store.Point{{Time: -1, Value: 7}}
		appended, appendErr := DecodeAppend(prefix, b)
		ps, err := Decode(b)
		if (err == nil) != (appendErr == nil) {
			t.Fatalf("Decode error %v, DecodeAppend error %v", err, appendErr)
		}
		if err != nil {
			assertSame(t, appended, prefix)
			return
		}
		assertSame(t, appended, append(prefix, ps...))
		// Whatever decodes is a valid block's content: sorted, within the
		// limit, and encodable again to the same points.
		again, err := Encode(ps)
		if err != nil {
			t.Fatalf("decoded points do not encode: %v", err)
		}
		back, err := Decode(again)
		if err != nil {
			t.Fatal(err)
		}
		assertSame(t, back, ps)
	})
}
