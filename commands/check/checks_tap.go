package check

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// writeTAP prints results as TAP version 13 with YAML diagnostics, the
// format of upstream `mkr checks run`.
func writeTAP(w io.Writer, results []*checkResult) error {
	var b strings.Builder
	fmt.Fprintf(&b, "TAP version 13\n1..%d\n", len(results))
	for i, r := range results {
		verdict := "ok"
		if !r.ok() {
			verdict = "not ok"
		}
		fmt.Fprintf(&b, "%s %d - %s\n  ---\n", verdict, i+1, r.Name)
		yamlField(&b, "memo", r.Memo)
		items := make([]string, len(r.Command))
		for j, c := range r.Command {
			items[j] = yamlFlowScalar(c)
		}
		fmt.Fprintf(&b, "  command: [%s]\n", strings.Join(items, ", "))
		yamlField(&b, "status", r.Status)
		yamlField(&b, "stdout", r.Stdout)
		yamlField(&b, "stderr", r.Stderr)
		if r.ExitCode != 0 {
			fmt.Fprintf(&b, "  exitCode: %d\n", r.ExitCode)
		}
		yamlField(&b, "error", r.Err)
		b.WriteString("  ...\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// yamlField writes "  key: value", omitting empty values; multi-line
// values become literal blocks.
func yamlField(b *strings.Builder, key, value string) {
	if value == "" {
		return
	}
	// A literal block, as upstream's encoder writes it, unless a character
	// or a space before a line break needs escapes.
	if strings.Contains(value, "\n") && !yamlHasSpecial(value) && !strings.Contains(value, " \n") && !strings.HasSuffix(value, " ") {
		fmt.Fprintf(b, "  %s: |-\n", key)
		for _, line := range strings.Split(value, "\n") {
			if line == "" {
				b.WriteString("\n")
				continue
			}
			fmt.Fprintf(b, "    %s\n", line)
		}
		return
	}
	fmt.Fprintf(b, "  %s: %s\n", key, yamlScalar(value, false))
}

var (
	// yamlSpecialWords are the YAML 1.1 booleans, nulls, infinities and NaN
	// in the spellings that read as such (tRuE stays a string).
	yamlSpecialWords = regexp.MustCompile(`^(?:[yYnN]|[yY]es|YES|[nN]o|NO|[tT]rue|TRUE|[fF]alse|FALSE|[oO]n|ON|[oO]ff|OFF|[nN]ull|NULL|~|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)
	// yamlTimestamp and yamlBase60 are plain words YAML 1.1 reads as a
	// time or a sexagesimal number, not as a string.
	yamlTimestamp = regexp.MustCompile(`^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?$`)
	yamlBase60    = regexp.MustCompile(`^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`)
)

// yamlScalar writes a one-line string as upstream's encoder (gopkg.in/yaml.v2)
// does: plain when that reads back as the same string; double-quoted when
// a plain word would read as another type (true, 1.5, null); otherwise
// single-quoted ('a: b', with ' doubled), or double-quoted when the text
// holds characters single quotes cannot carry (tabs, control characters,
// characters outside the Basic Multilingual Plane).
func yamlScalar(s string, flow bool) string {
	switch {
	case strings.Contains(s, "\n") || yamlReadsAsOtherType(s):
		return strconv.Quote(s)
	case yamlPlainSafe(s, flow):
		return s
	case !yamlHasSpecial(s):
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	default:
		return strconv.Quote(s)
	}
}

func yamlFlowScalar(s string) string { return yamlScalar(s, true) }

func yamlReadsAsOtherType(s string) bool {
	if s == "" || yamlSpecialWords.MatchString(s) || yamlTimestamp.MatchString(s) || yamlBase60.MatchString(s) {
		return true // "" reads as null
	}
	if !strings.ContainsAny(s, "0123456789") {
		return false // Go's float words (Inf, NaN) are strings to YAML
	}
	if _, err := strconv.ParseInt(s, 0, 64); err == nil {
		return true // also 0x1F, 0o17, 1_000
	}
	_, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	return err == nil
}

// yamlHasSpecial reports characters YAML writes only as escapes.
func yamlHasSpecial(s string) bool {
	for _, r := range s {
		printable := r == '\n' || (r >= 0x20 && r <= 0x7e) || (r >= 0xa0 && r <= 0xfffd && r != 0xfeff && !(r >= 0xd800 && r <= 0xdfff))
		if !printable {
			return true
		}
	}
	return false
}

// yamlPlainSafe reports whether s may be written unquoted: no indicator
// that would start other syntax, no leading or trailing space, nothing
// special.
func yamlPlainSafe(s string, flow bool) bool {
	if s == "" {
		return !flow
	}
	if s != strings.Trim(s, " ") || yamlHasSpecial(s) || strings.ContainsAny(s, "\n") {
		return false
	}
	if strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		return false
	}
	spaceAfter := func(i int) bool { return i+1 >= len(s) || s[i+1] == ' ' || s[i+1] == '\t' }
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i == 0 {
			switch c {
			case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
				return false
			case '?', ':':
				if flow || spaceAfter(i) {
					return false
				}
			case '-':
				if spaceAfter(i) {
					return false
				}
			}
			continue
		}
		switch c {
		case ',', '?', '[', ']', '{', '}':
			if flow {
				return false
			}
		case ':':
			if flow || spaceAfter(i) {
				return false
			}
		case '#':
			if s[i-1] == ' ' || s[i-1] == '\t' {
				return false
			}
		}
	}
	return true
}
