package db

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
)

// DefaultRetention is Mackerel's: 460 days at every resolution.
const DefaultRetention = "460d"

// MinRetention is the shortest retention accepted: a shorter one would
// drop days before they leave the hot tier (the backend refuses it too).
const MinRetention = 48 * time.Hour

// RetentionFlag is --retention, shared by `mkr db compact` and `mkr serve`
// so that both read a retention alike; value is its default ("": none).
func RetentionFlag(value, usage string) cli.Flag {
	return &cli.StringFlag{Name: "retention", Value: value, Usage: usage}
}

// ParseRetention reads a retention: whole days ("460d") or a Go duration
// ("2160h"), at least MinRetention. time.ParseDuration has no days, and
// retentions are counted in days.
func ParseRetention(s string) (time.Duration, error) {
	d, err := parseDays(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("--retention %q: use a number of days such as 460d, or a duration such as 2160h", s)
	}
	if d < MinRetention {
		return 0, fmt.Errorf("--retention %q: keep metric points at least 2d (older days leave the hot tier first)", s)
	}
	return d, nil
}

func parseDays(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.ParseInt(n, 10, 64)
		if err != nil || days > int64(math.MaxInt64/(24*time.Hour)) {
			return 0, fmt.Errorf("not a number of days: %q", n)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

// FormatRetention writes a retention as ParseRetention reads it: whole
// days as "460d".
func FormatRetention(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	}
	return d.String()
}
