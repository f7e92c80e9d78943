package downtime

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// localLayouts are the wall-clock forms --start and --until accept besides
// cmdutil.ParseTimeArg's (epoch seconds, RFC 3339, now, now+1h, -30m).
var localLayouts = []string{"2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02"}

// parseTime reads a --start or --until value; wall-clock forms are in loc.
// A small parser beats a library here: these forms are all people type.
func parseTime(s string, now time.Time, loc *time.Location) (int64, error) {
	s = strings.TrimSpace(s)
	for _, layout := range localLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.Unix(), nil
		}
	}
	if v, err := cmdutil.ParseTimeArg(s, now); err == nil {
		return v, nil
	}
	return 0, fmt.Errorf("invalid time %q: use now, now+1h, now-30m, \"2026-12-24 09:00\" (local time), RFC 3339 or epoch seconds", s)
}

// parseMinutes reads a --duration: a Go duration with d for days too
// (2h, 90m, 1h30m, 1d), or a bare number of minutes (the API's unit).
func parseMinutes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		return n, nil
	}
	d, err := parseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("invalid duration %q: use 90m, 2h, 1h30m, 1d or a number of minutes", s)
	}
	if d%time.Minute != 0 {
		return 0, fmt.Errorf("invalid duration %q: downtimes last whole minutes", s)
	}
	return int64(d / time.Minute), nil
}

// parseDuration is time.ParseDuration with a leading number of days
// allowed ("1d", "1d12h").
func parseDuration(s string) (time.Duration, error) {
	days, rest, found := strings.Cut(s, "d")
	if !found {
		return time.ParseDuration(s)
	}
	n, err := strconv.ParseInt(days, 10, 32)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad days")
	}
	d := time.Duration(n) * 24 * time.Hour
	if rest == "" {
		return d, nil
	}
	more, err := time.ParseDuration(rest)
	return d + more, err
}

// formatMinutes writes a duration in minutes the way --duration reads it.
func formatMinutes(m int64) string {
	var b strings.Builder
	if d := m / (24 * 60); d > 0 {
		fmt.Fprintf(&b, "%dd", d)
	}
	if h := m / 60 % 24; h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if mm := m % 60; mm > 0 || b.Len() == 0 {
		fmt.Fprintf(&b, "%dm", mm)
	}
	return b.String()
}

// weekdayName turns "mon", "Monday" or "MONDAY" into the API's "Monday".
func weekdayName(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := d.String()
		if len(s) >= 3 && strings.HasPrefix(strings.ToLower(name), s) {
			return name, true
		}
	}
	return "", false
}
