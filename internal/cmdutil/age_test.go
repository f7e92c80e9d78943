package cmdutil

import (
	"testing"
	"time"
)

func TestParseAge(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"2h": 2 * time.Hour, "90m": 90 * time.Minute, "1d": 24 * time.Hour, "2d12h": 60 * time.Hour,
		"1d30m": 24*time.Hour + 30*time.Minute, "0s": 0, "1.5h": 90 * time.Minute,
	} {
		if got, err := ParseAge(in); err != nil || got != want {
			t.Errorf("ParseAge(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "1x", "xd", "1d1d", "-1h", "1dh", "2"} {
		if got, err := ParseAge(in); err == nil {
			t.Errorf("ParseAge(%q) = %v, want an error", in, got)
		}
	}
}

func TestFormatAge(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 45 * time.Second: "45s", 5*time.Minute + 30*time.Second: "5m", 3*time.Hour + 10*time.Minute: "3h10m",
		28 * time.Hour: "1d4h", 48 * time.Hour: "2d", 49*time.Hour + time.Minute: "2d1h1m", -time.Hour: "0s",
	} {
		if got := FormatAge(d); got != want {
			t.Errorf("FormatAge(%v) = %q, want %q", d, got, want)
		}
	}
}
