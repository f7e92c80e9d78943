package cmdutil

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseTimeArg understands the time forms of --from/--to: epoch seconds,
// RFC 3339, "now", and relative forms such as "-1h", "now-30m", "-2d",
// "-1w" (Go durations plus d for days and w for weeks).
func ParseTimeArg(s string, now time.Time) (int64, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return 0, fmt.Errorf("empty time")
	case s == "now":
		return now.Unix(), nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.Unix(), nil
	}
	rel := strings.TrimPrefix(s, "now")
	if strings.HasPrefix(rel, "-") || strings.HasPrefix(rel, "+") {
		d, err := parseRelative(rel[1:])
		if err == nil {
			if rel[0] == '-' {
				d = -d
			}
			return now.Add(d).Unix(), nil
		}
	}
	return 0, fmt.Errorf("invalid time %q: use epoch seconds, RFC 3339 (2006-01-02T15:04:05Z), now, or a relative time such as -1h, now-30m, -7d", s)
}

func parseRelative(s string) (time.Duration, error) {
	for unit, size := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, unit); ok {
			v, err := strconv.ParseFloat(n, 64)
			if err != nil || v < 0 {
				return 0, fmt.Errorf("bad duration")
			}
			return time.Duration(v * float64(size)), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("bad duration")
	}
	return d, nil
}

func OptionalTime(s string, def int64, now time.Time) (int64, error) {
	if s == "" {
		return def, nil
	}
	return ParseTimeArg(s, now)
}
