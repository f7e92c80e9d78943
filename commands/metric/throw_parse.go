package metric

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/internal/promfold"
)

// maxThrowLine is the longest input line accepted; longer lines are
// reported and skipped without being held in memory.
const maxThrowLine = 64 * 1024

// metricLine is one parsed input point.
type metricLine struct {
	Name  string
	Value float64
	Time  int64
	// Series is a Prometheus sample's name and sorted labels before
	// folding (empty for mackerel input), to notice two series that fold
	// into one Name.
	Series string
}

// lineScanner reads input one line at a time with bounded memory.
type lineScanner struct {
	r    *bufio.Reader
	n    int
	line []byte
}

func newLineScanner(r io.Reader) *lineScanner {
	return &lineScanner{r: bufio.NewReaderSize(r, 64*1024)}
}

// errLineTooLong reports a line over maxThrowLine (already skipped).
var errLineTooLong = fmt.Errorf("line is longer than %d bytes", maxThrowLine)

// next returns the next line (without its newline). At the end it returns
// io.EOF; an over-long line yields errLineTooLong and is skipped whole.
func (s *lineScanner) next() ([]byte, error) {
	s.line = s.line[:0]
	tooLong, sawData := false, false
	for {
		chunk, err := s.r.ReadSlice('\n')
		sawData = sawData || len(chunk) > 0
		if !tooLong && len(s.line)+len(chunk) > maxThrowLine+2 { // +2 for "\r\n"
			tooLong, s.line = true, s.line[:0]
		}
		if !tooLong {
			s.line = append(s.line, chunk...)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue // the line goes on
		case errors.Is(err, io.EOF) && !sawData:
			return nil, io.EOF
		case err != nil && !errors.Is(err, io.EOF):
			return nil, err
		}
		s.n++
		// The cut above allows for "\r\n"; a line ending in a bare "\n"
		// may still be one byte over.
		line := trimEOL(s.line)
		if tooLong || len(line) > maxThrowLine {
			return nil, errLineTooLong
		}
		return line, nil
	}
}

func trimEOL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// parseMackerelLine parses "name value epoch" (tabs or spaces). ok=false
// with err=nil means a line to skip silently (blank or a # comment).
func parseMackerelLine(line string) (metricLine, bool, error) {
	trimmed := strings.TrimSpace(line)
	if trimmed == "" || strings.HasPrefix(trimmed, "#") {
		return metricLine{}, false, nil
	}
	fields := strings.Fields(trimmed)
	if len(fields) != 3 {
		return metricLine{}, false, fmt.Errorf("expected \"name value epoch\", got %d fields", len(fields))
	}
	value, err := parseValue(fields[1])
	if err != nil {
		return metricLine{}, false, err
	}
	t, err := parseEpoch(fields[2])
	if err != nil {
		return metricLine{}, false, err
	}
	return metricLine{Name: fields[0], Value: value, Time: t}, true, nil
}

func parseValue(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("invalid value %q", s)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("value %q is not a finite number", s)
	}
	return v, nil
}

// parseEpoch accepts integer or fractional epoch seconds (truncated). The
// truncated time must be at least 1 and fit in an int64: the API rejects a
// whole batch for one point at time 0, and int64(f) is undefined past 2^63.
func parseEpoch(s string) (int64, error) {
	if t, err := strconv.ParseInt(s, 10, 64); err == nil && t > 0 {
		return t, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !(f >= 1 && f < 1<<63) { // also false for NaN
		return 0, fmt.Errorf("invalid epoch time %q", s)
	}
	return int64(f), nil
}

// parsePrometheusLine parses one line of the Prometheus text exposition
// format: name{label="value",…} value [timestamp-ms]. Labels are folded
// into the metric name as sorted ".key_value" parts (package promfold).
func parsePrometheusLine(line string, now time.Time) (metricLine, bool, error) {
	trimmed := strings.TrimSpace(line)
	if trimmed == "" || strings.HasPrefix(trimmed, "#") {
		return metricLine{}, false, nil
	}
	name, rest := trimmed, ""
	var labels map[string]string
	if i := strings.IndexAny(trimmed, "{ \t"); i >= 0 {
		name, rest = trimmed[:i], trimmed[i:]
	}
	if strings.HasPrefix(rest, "{") {
		var err error
		labels, rest, err = parseLabels(rest[1:])
		if err != nil {
			return metricLine{}, false, err
		}
	}
	fields := strings.Fields(rest)
	if name == "" || len(fields) < 1 || len(fields) > 2 {
		return metricLine{}, false, fmt.Errorf("expected \"name{labels} value [timestamp]\"")
	}
	value, err := parseValue(fields[0])
	if err != nil {
		return metricLine{}, false, err
	}
	t := now.Unix()
	if len(fields) == 2 {
		ts, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil || ts < 1 {
			return metricLine{}, false, fmt.Errorf("invalid timestamp %q", fields[1])
		}
		t = promSeconds(ts)
	}
	return metricLine{Name: promfold.Fold(name, labels), Value: value, Time: t, Series: promfold.SeriesID(name, labels)}, true, nil
}

// promSecondsBelow: a Prometheus timestamp below it is in seconds. The
// format says milliseconds, but exporters and hand-written files often
// give seconds; read as milliseconds those would be in January 1970 and
// dropped as too old. Below 10^11 a millisecond timestamp would be before
// March 1973 and a second one before the year 5138, so the reading is
// never in doubt.
const promSecondsBelow = 100_000_000_000

// promSeconds converts a Prometheus sample timestamp to epoch seconds.
func promSeconds(ts int64) int64 {
	if ts < promSecondsBelow {
		return ts
	}
	return ts / 1000
}

// parseLabels reads key="value" pairs up to the closing brace.
func parseLabels(s string) (map[string]string, string, error) {
	labels := map[string]string{}
	for {
		s = strings.TrimLeft(s, " \t,")
		if strings.HasPrefix(s, "}") {
			return labels, s[1:], nil
		}
		eq := strings.IndexByte(s, '=')
		if eq <= 0 || len(s) < eq+2 || s[eq+1] != '"' {
			return nil, "", fmt.Errorf("malformed labels")
		}
		key := strings.TrimSpace(s[:eq])
		s = s[eq+2:]
		var val strings.Builder
		closed := false
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c == '\\' && i+1 < len(s) {
				i++
				switch s[i] {
				case 'n':
					val.WriteByte('\n')
				default:
					val.WriteByte(s[i])
				}
				continue
			}
			if c == '"' {
				s = s[i+1:]
				closed = true
				break
			}
			val.WriteByte(c)
		}
		if !closed {
			return nil, "", fmt.Errorf("unterminated label value")
		}
		labels[key] = val.String()
	}
}
