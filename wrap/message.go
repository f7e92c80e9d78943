package wrap

import (
	"crypto/md5"
	"encoding/hex"
	"path/filepath"
	"strings"
)

// MessageLimit is the API's limit on a check message, in characters
// (https://mackerel.io/api-docs/entry/check-monitoring#post).
const MessageLimit = 1024

// truncationSeparator replaces the middle of a message that is too long.
const truncationSeparator = "\n...\n"

// Message builds the check message exactly as upstream mkr does:
//
//	<result message>
//	Note: <note>          (only when note is non-empty)
//	% <args joined by spaces>
//	<captured output>     (only with detail)
//
// cut to MessageLimit runes by keeping the head and the tail around
// "\n...\n" (mkr#203), because errors are usually printed last.
func Message(res *Result, note string, detail bool) string {
	var b strings.Builder
	b.WriteString(res.Message)
	if note != "" {
		b.WriteString("\nNote: ")
		b.WriteString(note)
	}
	b.WriteString("\n% ")
	b.WriteString(strings.Join(res.Args, " "))
	if detail {
		b.WriteString("\n")
		b.Write(res.Output)
	}
	return Truncate(b.String(), MessageLimit)
}

// Truncate returns s unchanged when it has at most limit runes. Otherwise it
// keeps the first ⌊(limit-5)/2⌋ runes, the separator "\n...\n" and the last
// runes up to limit in total: for 1024, 509 + 5 + 510. Invalid UTF-8 in a
// truncated string becomes U+FFFD, as it would on the wire.
func Truncate(s string, limit int) string {
	rs := []rune(s)
	if len(rs) <= limit {
		return s
	}
	sep := []rune(truncationSeparator)
	rest := limit - len(sep)
	if rest <= 0 {
		return string(sep[:max(limit, 0)])
	}
	head := rest / 2
	out := make([]rune, 0, limit)
	out = append(out, rs[:head]...)
	out = append(out, sep...)
	out = append(out, rs[len(rs)-(rest-head):]...)
	return string(out)
}

// CheckName returns name when it is non-empty and otherwise derives the
// check monitor's name from the command the way upstream mkr does, so that
// existing monitors keep receiving reports: "mkrwrap-<B>-<H>", where B is
// the trimmed basename of args[0] with every character outside
// [-a-zA-Z0-9_] replaced by "_", and H is the first 6 hex digits of the MD5
// of args joined by single spaces. For example `sh -c 'kill -TERM $$'` is
// "mkrwrap-sh-c9eeae".
func CheckName(name string, args []string) string {
	if name != "" {
		return name
	}
	if len(args) == 0 {
		return "mkrwrap"
	}
	sum := md5.Sum([]byte(strings.Join(args, " ")))
	return "mkrwrap-" + sanitize(strings.TrimSpace(filepath.Base(args[0])), "") +
		"-" + hex.EncodeToString(sum[:3])
}

// sanitize replaces every rune outside [-a-zA-Z0-9_] and extra with "_".
// An invalid UTF-8 byte counts as one rune, as in upstream's regexp.
func sanitize(s, extra string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			r == '-', r == '_', strings.ContainsRune(extra, r):
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// DurationMetricName is the host metric name under which a caller may post
// Result.Duration (in seconds) for checkName: custom.mkrwrap.<name>.duration,
// with the name reduced to the characters a metric name may contain. Paired
// with a host-metric monitor it alerts when a job slows down.
func DurationMetricName(checkName string) string {
	return "custom.mkrwrap." + sanitize(checkName, "") + ".duration"
}
