package backend

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/mkr-dev/mkr/client"
)

// postedPoint is one element of a tsdb POST body as encoding/json decodes
// it when the fast path (parsePointFast) declines. Not
// client.HostMetricValue: time may be fractional (it is truncated to
// seconds), and a missing time or value must be told apart from 0.
type postedPoint struct {
	HostID string   `json:"hostId"`
	Name   string   `json:"name"`
	Time   *float64 `json:"time"`
	Value  *float64 `json:"value"`
}

// pointDecoder reads a tsdb POST body as a stream: encoding/json's Decoder
// walks the array and hands over one element at a time (its syntax errors
// are the ones the whole-body decoder gave), each element is parsed,
// validated and spooled, and only the current element is in memory.
//
// Which error a bad body gets is what decoding the whole body first gave:
// a syntax error anywhere, else the first type error, else the first
// invalid point. So after a type error or an invalid point the rest is
// still read (and no longer spooled): a later syntax error wins.
type pointDecoder struct {
	sp      *spool
	service string // "" for host metrics
	latest  int64  // the newest acceptable time
	body    *readErrors
	typeErr error // the first type error
	badErr  error // the first invalid point
	key     []byte
	raw     json.RawMessage
}

// readErrors remembers why reading the body failed, so that a decoder
// error caused by it (a cap, a deadline) is reported as such.
type readErrors struct {
	r   io.Reader
	err error
}

func (e *readErrors) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

// decode reads the whole body into d.sp, or returns why not.
func (d *pointDecoder) decode(r io.Reader) error {
	d.body = &readErrors{r: r}
	dec := json.NewDecoder(d.body)
	tok, err := dec.Token()
	if err == io.EOF {
		return d.readFailure(nil) // an empty body: no points
	}
	if err != nil {
		return d.readFailure(err)
	}
	switch tok {
	case nil: // null: no points, as an empty body
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			d.raw = d.raw[:0]
			if err := dec.Decode(&d.raw); err != nil {
				return d.readFailure(commaError(dec, err))
			}
			d.element(i)
		}
		if _, err := dec.Token(); err != nil { // the closing ']'
			return d.readFailure(err)
		}
	default:
		return d.notAnArray(dec, tok)
	}
	if err := d.rest(io.MultiReader(dec.Buffered(), d.body)); err != nil {
		return err
	}
	if d.typeErr != nil {
		return d.typeErr
	}
	return d.badErr
}

// readFailure turns a decoder error into the answer: the body's own read
// error when there was one (413 over the cap, 408 past serve's
// --body-timeout), else invalid JSON.
func (d *pointDecoder) readFailure(err error) error {
	if d.body.err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(d.body.err, &mbe):
			return d.body.err
		case errors.Is(d.body.err, os.ErrDeadlineExceeded):
			return errorf(http.StatusRequestTimeout, "Timed out reading the request body.")
		default:
			return badRequest("Failed to read the request body.")
		}
	}
	if err == nil {
		return nil
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return badRequest("Invalid JSON: %s", jsonProblem(err))
}

// commaError words the Decoder's "expected comma after array element" as
// the whole-body decoder did: "invalid character 'x' after array element"
// (the Decoder stops at that character).
func commaError(dec *json.Decoder, err error) error {
	var se *json.SyntaxError
	if !errors.As(err, &se) || se.Error() != "expected comma after array element" {
		return err
	}
	var c [1]byte
	if n, _ := dec.Buffered().Read(c[:]); n == 0 {
		return err
	}
	return fmt.Errorf("invalid character %s after array element", quoteChar(c[0]))
}

// quoteChar quotes a byte as encoding/json's messages do.
func quoteChar(c byte) string {
	switch c {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	q := strconv.Quote(string(rune(c)))
	return "'" + q[1:len(q)-1] + "'"
}

// notAnArray reads the rest of a top-level value that is not an array, so
// that its syntax errors come first, as they did.
func (d *pointDecoder) notAnArray(dec *json.Decoder, first json.Token) error {
	kind := "object"
	switch first.(type) {
	case string:
		kind = "string"
	case float64:
		kind = "number"
	case bool:
		kind = "bool"
	}
	if first == json.Delim('{') {
		for depth := 1; depth > 0; {
			tok, err := dec.Token()
			if err != nil {
				return d.readFailure(err)
			}
			switch tok {
			case json.Delim('{'), json.Delim('['):
				depth++
			case json.Delim('}'), json.Delim(']'):
				depth--
			}
		}
	}
	return badRequest("Invalid JSON: expected an array, not %s", kind)
}

// rest checks that only white space follows the array.
func (d *pointDecoder) rest(r io.Reader) error {
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		for _, c := range buf[:n] {
			switch c {
			case ' ', '\t', '\n', '\r', '\v', '\f':
			default:
				return badRequest("Invalid JSON: unexpected data after the top-level value")
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return d.readFailure(err)
		}
	}
}

// element parses, validates and spools array element i (in d.raw).
func (d *pointDecoder) element(i int) {
	if d.typeErr != nil {
		return // only syntax errors can still matter
	}
	var p rawPoint
	if !parsePointFast(d.raw, &p) {
		var pp postedPoint
		if err := json.Unmarshal(d.raw, &pp); err != nil {
			d.typeErr = badRequest("Invalid JSON: %s", jsonProblem(err))
			return
		}
		p = rawPoint{hostID: []byte(pp.HostID), name: []byte(pp.Name)}
		if p.hasTime = pp.Time != nil; p.hasTime {
			p.time = *pp.Time
		}
		if p.hasValue = pp.Value != nil; p.hasValue {
			p.value = *pp.Value
		}
	}
	if d.badErr != nil {
		return // still decoding, for type errors
	}
	if err := d.add(i, &p); err != nil {
		d.badErr = err // nothing of this request will be stored
	}
}

// add validates point i, in the order and words of the checks before
// streaming, and spools it.
func (d *pointDecoder) add(i int, p *rawPoint) error {
	owner := p.hostID
	if d.service == "" {
		if len(p.hostID) == 0 {
			return badRequest("Point %d: hostId is required.", i)
		}
		// PostgreSQL's text cannot hold a NUL (text_nul.go), and the
		// series key below uses it as the owner's terminator.
		if bytes.IndexByte(p.hostID, 0) >= 0 {
			return badRequest("Point %d: hostId %s.", i, nulProblem)
		}
	} else {
		owner = []byte(nil)
	}
	d.key = append(append(append(d.key[:0], owner...), 0), p.name...)
	_, known := d.sp.index[string(d.key)]
	if !known {
		// A known series' name was checked when it was first seen.
		if err := client.ValidateMetricName(string(p.name)); err != nil {
			return badRequest("Point %d: %v.", i, err)
		}
	}
	// At least 1 once truncated, and within int64 (int64(f) is undefined
	// past 2^63).
	if !p.hasTime || !(p.time >= 1 && p.time < 1<<63) {
		return badRequest("Point %d (%s): time must be a positive epoch in seconds.", i, p.name)
	}
	if !p.hasValue {
		return badRequest("Point %d (%s): value must be a number.", i, p.name)
	}
	t := int64(p.time)
	if t > d.latest {
		// Almost always milliseconds sent as seconds: storing it would
		// put a point thousands of years ahead.
		return badRequest("Point %d (%s): time %d is more than %s in the future (epoch seconds, not milliseconds).",
			i, p.name, t, aheadText)
	}
	series := d.sp.series(d.key,
		func() string {
			if d.service != "" {
				return d.service
			}
			return string(p.hostID)
		},
		func() string { return string(p.name) })
	d.sp.add(series, t, p.value)
	return nil
}

// aheadText is client.MaxMetricTimeAhead in words, for error messages.
var aheadText = fmt.Sprintf("%d minutes", client.MaxMetricTimeAhead/time.Minute)

// rawPoint is a posted point as the fast path reads it: the strings as
// slices of the element's bytes.
type rawPoint struct {
	hostID, name      []byte
	time, value       float64
	hasTime, hasValue bool
}

// parsePointFast reads an element shaped as every agent and mkr send it —
// an object of hostId, name, time and value, in any order, strings without
// escapes or non-ASCII bytes, numbers or null — and reports false for
// anything else (other keys, other case, escapes, wrong types), which
// encoding/json then decodes with its own rules and messages. b is one
// JSON value the Decoder handed over; it is read by strictPoint, the
// whole-body path's reader (ingest_fastbody.go), so both paths read a
// point alike (-0 included).
func parsePointFast(b []byte, p *rawPoint) bool {
	next, ok := strictPoint(b, skipSpace(b, 0), p)
	return ok && skipSpace(b, next) == len(b)
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}
