package annotation

import (
	"fmt"
	"unicode/utf8"
)

// The API's limits on an annotation, in characters.
const (
	maxTitle       = 250
	maxDescription = 1024
)

// truncateMiddle shortens s to at most max characters by cutting its
// middle, keeping the head (what happened) and the tail (where it ended),
// and marking the cut with the number of characters left out. A check
// plugin's message is often longer than an annotation may be; losing the
// annotation for that would lose the event.
func truncateMiddle(s string, max int) (string, bool) {
	n := utf8.RuneCountInString(s)
	if n <= max {
		return s, false
	}
	runes := []rune(s)
	// The marker's length depends on the count it shows, which depends on
	// the marker's length: shrink what is kept until the two agree.
	keep := max
	for keep > 0 {
		k := max - utf8.RuneCountInString(cutMarker(n-keep))
		if k >= keep {
			break
		}
		keep = k
	}
	if keep < 2 {
		return string(runes[:max]), true // a limit too small for a marker
	}
	head := (keep + 1) / 2
	tail := keep - head
	return string(runes[:head]) + cutMarker(n-keep) + string(runes[n-tail:]), true
}

func cutMarker(cut int) string { return fmt.Sprintf(" […%d characters cut…] ", cut) }
