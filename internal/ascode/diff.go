package ascode

import (
	"fmt"
	"strings"
)

// DiffText is upstream's `monitors diff` output: a summary, each changed
// rule as an ASCII diff, then the rules only on the server ("-") and only
// in the file ("+"). reverse swaps the sides and the counts.
func (s Spec[R]) DiffText(d Diff[R], reverse bool) string {
	from, to := d.OnlyRemote, d.OnlyLocal
	if reverse {
		from, to = to, from
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Summary: %d modify, %d append, %d remove\n\n", len(d.Modified), len(to), len(from))
	for _, p := range d.Modified {
		if reverse {
			b.WriteString(s.RuleDiffText(p.Local, p.Remote))
		} else {
			b.WriteString(s.RuleDiffText(p.Remote, p.Local))
		}
		b.WriteByte('\n')
	}
	for _, r := range from {
		b.WriteString(Stringify(r, "-") + "\n")
	}
	for _, r := range to {
		b.WriteString(Stringify(r, "+") + "\n")
	}
	return b.String()
}
