package chunk

import "encoding/binary"

// bitWriter appends bits most significant first to a byte slice.
type bitWriter struct {
	b   []byte
	acc uint64 // the pending bits are its low n bits
	n   uint   // always < 8 between calls
}

// write appends the low width bits of v (width 0..64).
func (w *bitWriter) write(v uint64, width uint) {
	if width > 32 {
		w.write(v>>32, width-32)
		width = 32
	}
	// n < 8 and width <= 32: the accumulator never holds more than 39 bits.
	w.acc = w.acc<<width | v&(1<<width-1)
	w.n += width
	for w.n >= 8 {
		w.n -= 8
		w.b = append(w.b, byte(w.acc>>w.n))
	}
}

// bytes pads the last byte with zero bits and returns the slice.
func (w *bitWriter) bytes() []byte {
	if w.n > 0 {
		w.b = append(w.b, byte(w.acc<<(8-w.n)))
		w.n = 0
	}
	return w.b
}

// bitReader reads what a bitWriter wrote. A read past the end returns zero
// and sets short; callers check short once, after the loop.
type bitReader struct {
	b     []byte
	pos   int    // the next byte of b to load
	acc   uint64 // the unread bits, the next one at the top
	n     uint   // how many of acc's bits are unread
	short bool
}

// fill loads whole bytes into acc while they fit: eight at a time away
// from the end. Bits below the n unread ones may hold the start of the
// next byte; the next fill ORs the same bits there.
func (r *bitReader) fill() {
	if r.pos+8 <= len(r.b) {
		r.acc |= binary.BigEndian.Uint64(r.b[r.pos:]) >> r.n
		k := (64 - r.n) / 8
		r.pos += int(k)
		r.n += 8 * k
		return
	}
	for r.n <= 56 && r.pos < len(r.b) {
		r.acc |= uint64(r.b[r.pos]) << (56 - r.n)
		r.pos++
		r.n += 8
	}
}

// read returns the next width bits (width 0..56: one fill always has them).
// The refill is out of line, off the common path.
func (r *bitReader) read(width uint) uint64 {
	if r.n < width {
		r.refill(width)
	}
	v := r.acc >> (64 - width) // 0 for width 0
	r.acc <<= width
	r.n -= width
	return v
}

// refill fills acc for a read of width bits; at the end of the input it
// marks the reader short and lets the read return zero.
//
//go:noinline
func (r *bitReader) refill(width uint) {
	r.fill() // leaves at least 57 bits unless at the end
	if r.n < width {
		r.short = true
		r.acc, r.n = 0, width
	}
}

// read64 returns the next width bits (width 0..64).
func (r *bitReader) read64(width uint) uint64 {
	if width > 32 {
		hi := r.read(width - 32)
		return hi<<32 | r.read(32)
	}
	return r.read(width)
}

// done reports whether every byte was read and the padding bits are zero:
// a block has one encoding, so trailing garbage is corruption.
func (r *bitReader) done() bool {
	return !r.short && r.pos == len(r.b) && r.n < 8 && r.acc>>(64-r.n) == 0
}
