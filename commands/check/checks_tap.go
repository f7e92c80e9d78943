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
	if strings.Contains(value, "\n") && !strings.ContainsAny(value, "\r\t") {
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

var yamlSpecialWords = regexp.MustCompile(`^(?i:true|false|yes|no|on|off|y|n|null|~)$`)

// yamlScalar returns s plain when YAML would read it back as the same
// string, double-quoted otherwise.
func yamlScalar(s string, flow bool) string {
	if yamlPlainSafe(s, flow) {
		return s
	}
	return strconv.Quote(s)
}

func yamlFlowScalar(s string) string { return yamlScalar(s, true) }

func yamlPlainSafe(s string, flow bool) bool {
	if s == "" || s != strings.TrimSpace(s) || yamlSpecialWords.MatchString(s) {
		return false
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return false
	}
	if strings.ContainsAny(s[:1], "!&*?|>'\"%@`#,[]{}") {
		return false
	}
	if (s[0] == '-' || s[0] == ':') && (len(s) == 1 || s[1] == ' ') {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return false
	}
	if flow && strings.ContainsAny(s, ",[]{}") {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}
