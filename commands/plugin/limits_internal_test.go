package plugin

import "testing"

func TestParseSize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{
		"100": 100, "100B": 100, "64k": 64 << 10, "1KiB": 1 << 10, "512MiB": 512 << 20, "512m": 512 << 20,
		"2GiB": 2 << 30, " 3 gib ": 3 << 30,
	} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "1XB", "GiB", "1.5GiB", "9223372036854775807GiB"} {
		if got, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", in, got)
		}
	}
	if got := formatSize(1 << 30); got != "1GiB" {
		t.Errorf("formatSize(1GiB) = %q", got)
	}
}
