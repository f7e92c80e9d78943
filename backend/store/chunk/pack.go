package chunk

import (
	"encoding/binary"
	"math/bits"
)

// Integers are packed in groups of groupSize, each coded against its
// minimum lo (frame of reference) in one of two ways, whichever is smaller:
//
//	dense:  width:byte lo:varint, then every value - lo in width bits
//	sparse: 0x80|width:byte lo:varint count:byte, then count pairs of
//	        (index in the group: 6 bits, value - lo: width bits) for the
//	        values that are not lo
//
// A counter's steady increments cost only the bits of their variation, a
// constant stretch two bytes, and a mostly-zero series (errors per
// minute) only its few non-zero values. Bit fields are padded to a byte
// at the end of each group; the padding is zero.

const (
	groupSize  = 64 // measured against 32 and 128 over chunktest's mix: smallest overall
	indexBits  = 6  // bits of an index in a group
	sparseFlag = 0x80
)

// groupPlan is how one group is coded.
type groupPlan struct {
	lo         int64
	width      uint
	exceptions int // values other than lo
	sparse     bool
	size       int // bytes
}

func planGroup(group []int64) groupPlan {
	lo, hi := group[0], group[0]
	for _, x := range group[1:] {
		lo, hi = min(lo, x), max(hi, x)
	}
	p := groupPlan{lo: lo, width: uint(bits.Len64(uint64(hi - lo)))}
	for _, x := range group {
		if x != lo {
			p.exceptions++
		}
	}
	head := 1 + varintLen(lo)
	p.size = head + (len(group)*int(p.width)+7)/8
	if sparse := head + 1 + (p.exceptions*(indexBits+int(p.width))+7)/8; p.exceptions > 0 && sparse < p.size {
		p.sparse, p.size = true, sparse
	}
	return p
}

func varintLen(x int64) int {
	u := uint64(x) << 1
	if x < 0 {
		u = ^u
	}
	return (bits.Len64(u|1) + 6) / 7
}

func packedSize(xs []int64) int {
	size := 0
	for len(xs) > 0 {
		group := xs[:min(groupSize, len(xs))]
		xs = xs[len(group):]
		size += planGroup(group).size
	}
	return size
}

func appendPacked(b []byte, xs []int64) []byte {
	for len(xs) > 0 {
		group := xs[:min(groupSize, len(xs))]
		xs = xs[len(group):]
		p := planGroup(group)
		if !p.sparse {
			b = append(b, byte(p.width))
			b = binary.AppendVarint(b, p.lo)
			w := bitWriter{b: b}
			for _, x := range group {
				w.write(uint64(x-p.lo), p.width)
			}
			b = w.bytes()
			continue
		}
		b = append(b, sparseFlag|byte(p.width))
		b = binary.AppendVarint(b, p.lo)
		b = append(b, byte(p.exceptions))
		w := bitWriter{b: b}
		for i, x := range group {
			if x != p.lo {
				w.write(uint64(i), indexBits)
				w.write(uint64(x-p.lo), p.width)
			}
		}
		b = w.bytes()
	}
	return b
}

// unpackGroup fills out (one group) from the front of b and returns the
// rest of b.
func unpackGroup(b []byte, out []int64) ([]byte, bool) {
	if len(b) < 1 {
		return nil, false
	}
	head := b[0]
	width := uint(head &^ sparseFlag)
	if width > maxWidth {
		return nil, false
	}
	lo, k := binary.Varint(b[1:])
	if k <= 0 {
		return nil, false
	}
	b = b[1+k:]
	if head&sparseFlag != 0 {
		return unpackSparse(b, out, lo, width)
	}
	size := (len(out)*int(width) + 7) / 8
	if len(b) < size {
		return nil, false
	}
	src, mask := b[:size], uint64(1)<<width-1
	var acc uint64 // the unread bits are its low n bits
	var n uint
	for i := range out {
		for n < width { // n <= 56 here (width <= 57), so acc keeps every unread bit
			acc = acc<<8 | uint64(src[0])
			src = src[1:]
			n += 8
		}
		n -= width
		out[i] = lo + int64(acc>>n&mask)
	}
	if acc&(1<<n-1) != 0 {
		return nil, false // padding bits are zero in a real block
	}
	return b[size:], true
}

func unpackSparse(b []byte, out []int64, lo int64, width uint) ([]byte, bool) {
	if len(b) < 1 || width == 0 {
		return nil, false
	}
	count := int(b[0])
	size := (count*int(indexBits+width) + 7) / 8
	if count == 0 || count >= len(out) || len(b) < 1+size {
		return nil, false
	}
	for i := range out {
		out[i] = lo
	}
	r := bitReader{b: b[1 : 1+size]}
	next := 0 // indexes are increasing
	for range count {
		i, x := int(r.read(indexBits)), r.read64(width)
		if i < next || i >= len(out) || x == 0 {
			return nil, false
		}
		out[i] = lo + int64(x)
		next = i + 1
	}
	if !r.done() {
		return nil, false
	}
	return b[1+size:], true
}
