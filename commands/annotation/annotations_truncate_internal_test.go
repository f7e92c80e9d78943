package annotation

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTruncateMiddle: the result never exceeds the limit, keeps the head
// and the tail, and says how many characters were cut.
func TestTruncateMiddle(t *testing.T) {
	if got, cut := truncateMiddle("short", 10); got != "short" || cut {
		t.Errorf("short: %q %v", got, cut)
	}
	if got, cut := truncateMiddle("exactly10!", 10); got != "exactly10!" || cut {
		t.Errorf("at the limit: %q %v", got, cut)
	}
	got, cut := truncateMiddle(strings.Repeat("a", 20)+strings.Repeat("b", 20), 30)
	if want := "aaaa […33 characters cut…] bbb"; got != want || !cut {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, n := range []int{251, 999, 1025, 2221, 100_000} {
		for _, max := range []int{maxTitle, maxDescription} {
			s := "HEAD" + strings.Repeat("é", n) + "TAIL"
			if utf8.RuneCountInString(s) <= max {
				continue
			}
			got, _ := truncateMiddle(s, max)
			if c := utf8.RuneCountInString(got); c > max || c < max-1 || !strings.HasPrefix(got, "HEAD") || !strings.HasSuffix(got, "TAIL") {
				t.Errorf("n=%d max=%d: %d characters, %q…%q", n, max, c, got[:8], got[len(got)-8:])
			}
		}
	}
	if got, _ := truncateMiddle("abcdefghijkl", 5); got != "abcde" {
		t.Errorf("tiny limit: %q", got)
	}
}
