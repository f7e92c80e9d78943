package db

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
)

// DefaultRetention is Mackerel's: 460 days at every resolution.
const DefaultRetention = "460d"

// RetentionFlag is --retention, shared by `mkr db compact` and `mkr serve`
// so that both read a retention alike.
func RetentionFlag() cli.Flag {
	return &cli.StringFlag{Name: "retention", Value: DefaultRetention,
		Usage: "keep metric points for `DURATION` (days as 90d, or a Go duration as 2160h; at least 2d); older days are dropped"}
}

// ParseRetention reads a retention: whole days ("460d") or a Go duration
// ("2160h"). time.ParseDuration has no days, and retentions are counted
// in days.
func ParseRetention(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days <= 0 {
			return 0, fmt.Errorf("--retention %q: use a number of days such as 460d, or a duration such as 2160h", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("--retention %q: use a number of days such as 460d, or a duration such as 2160h", s)
	}
	return d, nil
}
