package chunk

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
	pos   int
	acc   uint64 // the unread bits are its low n bits
	n     uint
	short bool
}

// read returns the next width bits (width 0..64).
func (r *bitReader) read(width uint) uint64 {
	if width > 32 {
		hi := r.read(width - 32)
		return hi<<32 | r.read(32)
	}
	for r.n < width {
		if r.pos >= len(r.b) {
			r.short = true
			return 0
		}
		r.acc = r.acc<<8 | uint64(r.b[r.pos])
		r.pos++
		r.n += 8
	}
	r.n -= width
	return r.acc >> r.n & (1<<width - 1)
}

// done reports whether every byte was read and the padding bits are zero:
// a block has one encoding, so trailing garbage is corruption.
func (r *bitReader) done() bool {
	return !r.short && r.pos == len(r.b) && r.acc&(1<<r.n-1) == 0
}
