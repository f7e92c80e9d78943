package dashboard

import (
	"regexp"
	"strings"
)

// Markdown widgets are shown as text a terminal can read, not as
// markdown: headings underlined, list bullets as •, links and images as
// their text with the address after it, emphasis and code marks dropped,
// code fences left out around their lines (kept as written). Anything
// else is shown as written; the box wraps long lines.
var (
	mdImage    = regexp.MustCompile(`!\[([^\]]*)\]\(([^)\s]+)[^)]*\)`)
	mdLink     = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)[^)]*\)`)
	mdStrong   = regexp.MustCompile(`(\*\*|__)(\S(?:.*?\S)?)(\*\*|__)`)
	mdCode     = regexp.MustCompile("`([^`]+)`")
	mdBullet   = regexp.MustCompile(`^(\s*)[-*+]\s+`)
	mdHeading  = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*#*\s*$`)
	mdRule     = regexp.MustCompile(`^\s*([-*_])(\s*([-*_])){2,}\s*$`)
	mdFence    = regexp.MustCompile("^\\s*(```|~~~)")
	mdRuleText = strings.Repeat("─", 8)
)

func markdownText(md string) string {
	var b strings.Builder
	inCode := false
	for _, line := range strings.Split(strings.TrimRight(md, "\n"), "\n") {
		if mdFence.MatchString(line) {
			inCode = !inCode
			continue
		}
		if inCode {
			b.WriteString(line + "\n")
			continue
		}
		if m := mdHeading.FindStringSubmatch(line); m != nil {
			title := inline(m[2])
			rule := "─"
			if len(m[1]) == 1 {
				rule = "═"
			}
			b.WriteString(title + "\n" + strings.Repeat(rule, len([]rune(title))) + "\n")
			continue
		}
		if mdRule.MatchString(line) {
			b.WriteString(mdRuleText + "\n")
			continue
		}
		line = mdBullet.ReplaceAllString(line, "$1• ")
		b.WriteString(inline(line) + "\n")
	}
	return b.String()
}

// inline drops the marks inside a line of text.
func inline(s string) string {
	s = mdImage.ReplaceAllString(s, "[image: $1] ($2)")
	s = mdLink.ReplaceAllString(s, "$1 ($2)")
	s = mdStrong.ReplaceAllString(s, "$2")
	return mdCode.ReplaceAllString(s, "$1")
}
