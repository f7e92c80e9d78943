package expr

import (
	"regexp"
	"strings"
)

// IsPattern reports whether a metric argument has wildcards (* or #).
func IsPattern(metric string) bool { return strings.ContainsAny(metric, "*#") }

// MetricMatcher compiles a metric pattern in which * and # each stand for
// one or more characters within one dot-separated part ("memory.*"
// matches memory.used, not memory.a.b). A regexp, not backtracking, so a
// pattern of many wildcards costs linear time; compile once, match many
// names.
func MetricMatcher(pattern string) func(name string) bool {
	return metricPattern(pattern).MatchString
}

// MatchMetric reports whether name matches pattern (see MetricMatcher).
func MatchMetric(pattern, name string) bool { return metricPattern(pattern).MatchString(name) }

func metricPattern(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(pattern); {
		j := strings.IndexAny(pattern[i:], "*#")
		if j < 0 {
			b.WriteString(regexp.QuoteMeta(pattern[i:]))
			break
		}
		b.WriteString(regexp.QuoteMeta(pattern[i : i+j]))
		b.WriteString(`[^.]+`)
		i += j + 1
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}
