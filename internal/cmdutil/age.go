package cmdutil

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseAge reads a duration as Go writes it (90m, 2h30m) or with a leading
// day count (1d, 2d12h): how long a host may stay in a status is often
// days, which time.ParseDuration has no unit for. Negative ages are
// refused.
func ParseAge(s string) (time.Duration, error) {
	rest, days := s, 0
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q (write e.g. 90m, 2h or 1d12h)", s)
		}
		days, rest = n, s[i+1:]
	}
	d := time.Duration(0)
	if rest != "" || days == 0 {
		var err error
		if d, err = time.ParseDuration(rest); err != nil {
			return 0, fmt.Errorf("invalid duration %q (write e.g. 90m, 2h or 1d12h)", s)
		}
	}
	d += time.Duration(days) * 24 * time.Hour
	if d < 0 {
		return 0, fmt.Errorf("invalid duration %q: negative", s)
	}
	return d, nil
}

// FormatAge writes d in days, hours and minutes, leaving out zero parts
// (1d4h, 3h10m, 5m); below a minute, in seconds (45s). It is for people:
// seconds are dropped once there are minutes.
func FormatAge(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d/time.Second))
	}
	days, hours, mins := int(d/(24*time.Hour)), int(d/time.Hour)%24, int(d/time.Minute)%60
	var b strings.Builder
	for _, part := range []struct {
		n    int
		unit string
	}{{days, "d"}, {hours, "h"}, {mins, "m"}} {
		if part.n > 0 {
			fmt.Fprintf(&b, "%d%s", part.n, part.unit)
		}
	}
	return b.String()
}
