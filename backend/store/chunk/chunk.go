// Package chunk encodes the sealed tier of the time-series store: one
// series' points over one day as one compressed block, engine-neutral so
// that every store implementation seals, reads and rolls up alike.
//
// A block is a version byte, the point count, the times, then the values
// in one of three codings chosen per block:
//
//   - decimal (decimal.go, pack.go): the values are exact decimals with at
//     most 15 fractional digits (what agents and plugins post: "0.52",
//     "1048576"), coded as scaled integers, their common step, and the
//     values or their differences packed 64 to a group with a per-group
//     bit width, or as the group's few exceptions when it is mostly one
//     value;
//   - ratio (ratio.go): the values are quotients of integers with small
//     denominators (percentages computed from counters, such as CPU
//     time), coded as their numerators and denominators, packed alike;
//   - XOR (xor.go), Gorilla's coding of float bits, for everything else:
//     NaN, ±Inf, -0, irrational floats — and wherever it is smaller than
//     the ratio coding.
//
// Times (times.go) are run-length coded gaps, so a regular series costs a
// few bytes per day whatever its step.
//
// Why this design, measured over chunktest's mix of realistic shapes
// (BenchmarkBytesPerPoint, 1,000 series): 1.35 bytes per point, against
// 2.47 without the ratio coding, 4.12 with XOR coding alone and 9.0 with
// the plain coding. Most series are short decimals, which XOR cannot see
// (0.52 has a 52-bit "random" significand) while their scaled integers
// take a few bits a point: two-decimal load averages cost 0.84 bytes
// instead of 7.25. CPU percentages, a fifth of the mix, cost 7.55 bytes a
// point as XOR and 1.95 as ratios. A general-purpose compressor after the
// coding (DEFLATE at its best level, standing in for zstd) took the mix
// from 2.47 to 2.42 bytes per point before the ratio coding, 2%: not
// worth a dependency and a slower decode.
//
// Version 2 blocks written before the ratio coding existed never use its
// codec byte, so they read as before.
//
// Decode also reads version 1, the plain coding the API started with
// (varint time deltas and raw float bits), so blocks written before the
// compressed coding stay readable.
package chunk

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/mkr-dev/mkr/backend/store"
)

// ErrCorrupt reports a block that does not decode.
var ErrCorrupt = errors.New("chunk: corrupt block")

// MaxPoints bounds the points of one block: more than the 86,400 seconds
// of a day, and a bound on what Decode allocates for a forged count (a
// constant series codes a day in a few bytes, so the count cannot be
// bounded by the block's size).
const MaxPoints = 1 << 17

const (
	versionPlain   = 1
	versionCompact = 2

	codecXOR     = 0
	codecDecimal = 1
	codecRatio   = 2
)

// Encode returns points, sorted by time with no repeated time, as one
// block. Decode(Encode(p)) returns p exactly (times to the second, values
// bit for bit, NaN payloads included).
func Encode(points []store.Point) ([]byte, error) {
	if len(points) > MaxPoints {
		return nil, fmt.Errorf("chunk: %d points in one block (at most %d)", len(points), MaxPoints)
	}
	for i := 1; i < len(points); i++ {
		if points[i].Time <= points[i-1].Time {
			return nil, errors.New("chunk: points not sorted by time")
		}
	}
	b := make([]byte, 0, 32+len(points)*2)
	b = append(b, versionCompact)
	b = binary.AppendUvarint(b, uint64(len(points)))
	if len(points) == 0 {
		return b, nil
	}
	b = appendTimes(b, points)
	if d, ok := appendDecimal(b, points); ok {
		return d, nil
	}
	xor := appendXOR(append(b, codecXOR), points)
	// The ratio coding, when it applies, is kept only where smaller: a
	// block of quotients with large denominators may not be.
	if r, ok := appendRatio(b[:len(b):len(b)], points); ok && len(r) < len(xor) {
		return r, nil
	}
	return xor, nil
}

// Decode returns the points of a block made by Encode; ErrCorrupt for
// anything else.
func Decode(b []byte) ([]store.Point, error) {
	points, err := DecodeAppend(nil, b)
	if err == nil && points == nil {
		points = []store.Point{}
	}
	return points, err
}

// DecodeAppend appends the points of a block made by Encode to dst, so a
// read over many blocks fills one slice; on error it returns dst as given
// and ErrCorrupt.
func DecodeAppend(dst []store.Point, b []byte) ([]store.Point, error) {
	if len(b) == 0 {
		return dst, ErrCorrupt
	}
	var ok bool
	switch b[0] {
	case versionCompact:
		var points []store.Point
		if points, ok = decodeCompact(dst, b[1:]); ok {
			return points, nil
		}
	case versionPlain:
		var points []store.Point
		if points, ok = decodePlain(dst, b[1:]); ok {
			return points, nil
		}
	}
	return dst, ErrCorrupt
}

func decodeCompact(dst []store.Point, b []byte) ([]store.Point, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > MaxPoints {
		return nil, false
	}
	b = b[k:]
	if n == 0 {
		return dst, len(b) == 0
	}
	all := slices.Grow(dst, int(n))[:len(dst)+int(n)]
	points := all[len(dst):]
	b, ok := decodeTimes(b, points)
	if !ok || len(b) == 0 {
		return nil, false
	}
	switch b[0] {
	case codecDecimal:
		ok = decodeDecimal(b[1:], points)
	case codecXOR:
		ok = decodeXOR(b[1:], points)
	case codecRatio:
		ok = decodeRatio(b[1:], points)
	default:
		ok = false
	}
	return all, ok
}

// decodePlain reads version 1: uvarint count, then per point a varint
// time delta and the value's float64 bits, little-endian.
func decodePlain(dst []store.Point, b []byte) ([]store.Point, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return nil, false
	}
	b = b[k:]
	points := slices.Grow(dst, int(n))
	var t int64
	for i := uint64(0); i < n; i++ {
		d, k := binary.Varint(b)
		if k <= 0 || len(b) < k+8 {
			return nil, false
		}
		// Times only increase, as Encode made them (without overflow).
		if i > 0 && (d <= 0 || t+d <= t) {
			return nil, false
		}
		t += d
		points = append(points, store.Point{Time: t, Value: math.Float64frombits(binary.LittleEndian.Uint64(b[k:]))})
		b = b[k+8:]
	}
	return points, len(b) == 0
}
