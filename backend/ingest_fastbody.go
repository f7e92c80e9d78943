package backend

import (
	"strconv"
	"sync"
)

// The whole-body fast path of metric posts.
//
// An agent's post (~100 points, ~8 KB) is read whole before it waits for
// its turn (ingest_admission.go), so it can be parsed in one pass over
// memory instead of through encoding/json's Decoder, whose per-element
// scanning, copying and reflection were most of a post's decoding cost.
// parseBodyFast accepts only a strict subset of JSON — an array of objects
// with the keys hostId, name, time and value, strings without escapes,
// control characters or non-ASCII bytes, numbers by JSON's grammar or
// null — and checks the syntax as it goes, so a body it accepts is valid
// JSON that encoding/json reads to the same points (FuzzParseBodyFast).
// Anything else (an escape, another key, a type error, a syntax error)
// makes it decline, and the body takes the streaming decoder, whose
// answers and error precedence are the reference.

// parseBodyFast appends the points of body to pts, or reports false.
func parseBodyFast(body []byte, pts []rawPoint) ([]rawPoint, bool) {
	i := skipSpace(body, 0)
	if i >= len(body) || body[i] != '[' {
		return pts, false
	}
	i = skipSpace(body, i+1)
	if i < len(body) && body[i] == ']' {
		return pts, skipSpace(body, i+1) == len(body)
	}
	for {
		var p rawPoint
		var ok bool
		if i, ok = strictPoint(body, i, &p); !ok {
			return pts, false
		}
		pts = append(pts, p)
		i = skipSpace(body, i)
		if i >= len(body) {
			return pts, false
		}
		switch body[i] {
		case ',':
			i = skipSpace(body, i+1)
		case ']':
			return pts, skipSpace(body, i+1) == len(body)
		default:
			return pts, false
		}
	}
}

// strictPoint reads one object at b[i] into p and returns the index after
// it, checking every separator (the streaming decoder's parsePointFast
// reads its elements with it too).
func strictPoint(b []byte, i int, p *rawPoint) (int, bool) {
	if i >= len(b) || b[i] != '{' {
		return 0, false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, true
	}
	for {
		key, j, ok := strictString(b, i)
		if !ok {
			return 0, false
		}
		i = skipSpace(b, j)
		if i >= len(b) || b[i] != ':' {
			return 0, false
		}
		i = skipSpace(b, i+1)
		switch string(key) {
		case "hostId", "name":
			s, j, ok := strictString(b, i)
			if !ok {
				return 0, false
			}
			if key[0] == 'h' {
				p.hostID = s
			} else {
				p.name = s
			}
			i = j
		case "time", "value":
			f, has, j, ok := strictNumber(b, i)
			if !ok {
				return 0, false
			}
			if key[0] == 't' {
				p.time, p.hasTime = f, has
			} else {
				p.value, p.hasValue = f, has
			}
			i = j
		default:
			return 0, false
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return 0, false
		}
		switch b[i] {
		case '}':
			return i + 1, true
		case ',':
			i = skipSpace(b, i+1)
		default:
			return 0, false
		}
	}
}

// strictString reads a string at b[i] of printable ASCII without escapes.
func strictString(b []byte, i int) ([]byte, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, 0, false
	}
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			return b[i+1 : j], j + 1, true
		case c == '\\' || c < 0x20 || c >= 0x80:
			return nil, 0, false
		}
	}
	return nil, 0, false
}

// strictNumber reads null or a number by JSON's grammar
// (-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?) at b[i]; one out of
// float64's range is declined (encoding/json reports it as a type error).
func strictNumber(b []byte, i int) (f float64, has bool, next int, ok bool) {
	if i+4 <= len(b) && string(b[i:i+4]) == "null" {
		return 0, false, i + 4, true
	}
	j := i
	if j < len(b) && b[j] == '-' {
		j++
	}
	digits := func() int {
		start := j
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		return j - start
	}
	intStart := j
	n := digits()
	if n == 0 || (n > 1 && b[intStart] == '0') {
		return 0, false, 0, false
	}
	integer := true
	if j < len(b) && b[j] == '.' {
		j++
		if digits() == 0 {
			return 0, false, 0, false
		}
		integer = false
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if digits() == 0 {
			return 0, false, 0, false
		}
		integer = false
	}
	num := b[i:j]
	if integer && n <= 15 { // exact in a float64: no rounding to get right
		var v int64
		for _, c := range b[intStart:j] {
			v = v*10 + int64(c-'0')
		}
		if b[i] == '-' {
			// -0 is a float64 negative zero for encoding/json too.
			return -float64(v), true, j, true
		}
		return float64(v), true, j, true
	}
	v, err := strconv.ParseFloat(string(num), 64)
	if err != nil {
		return 0, false, 0, false
	}
	return v, true, j, true
}

// rawPoints are reusable slices for decodeWhole.
var rawPoints = sync.Pool{New: func() any { return new([]rawPoint) }}

// decodeWhole decodes a whole body held in memory through parseBodyFast,
// validating and spooling each point as decode does (the first invalid
// point is left in d.badErr), or reports false, having spooled nothing,
// when the body is not of the shape it reads.
func (d *pointDecoder) decodeWhole(body []byte) bool {
	held := rawPoints.Get().(*[]rawPoint)
	defer rawPoints.Put(held)
	pts, ok := parseBodyFast(body, (*held)[:0])
	*held = pts[:0]
	if !ok {
		return false
	}
	for i := range pts {
		if err := d.add(i, &pts[i]); err != nil {
			d.badErr = err
			break
		}
	}
	clear(pts) // no references into the body from the pool
	return true
}
