package client

import (
	"regexp"
	"strings"
	"testing"
)

// metricNameOracle is the definition metricNameChars implements by hand.
var metricNameOracle = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)

func TestValidateMetricNameChars(t *testing.T) {
	for _, name := range []string{"", "a", "custom.foo-bar_baz.9", "a b", "a/b", "a:b", "é", "a\x00", ".", "-", "_", "x*", "memory.used", strings.Repeat("a", MaxMetricNameLength), strings.Repeat("a", MaxMetricNameLength+1)} {
		want := metricNameOracle.MatchString(name) && len(name) <= MaxMetricNameLength
		if got := ValidateMetricName(name) == nil; got != want {
			t.Errorf("ValidateMetricName(%q) accepted = %v, want %v", name, got, want)
		}
	}
}

// FuzzValidateMetricName checks the byte loop against the regular
// expression it replaced, for any input.
func FuzzValidateMetricName(f *testing.F) {
	for _, s := range []string{"", "cpu.user", "a b", "custom.x-y_z", "\xff", "A.Z.0.9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		want := metricNameOracle.MatchString(name) && len(name) <= MaxMetricNameLength
		if got := ValidateMetricName(name) == nil; got != want {
			t.Fatalf("ValidateMetricName(%q) accepted = %v, want %v", name, got, want)
		}
	})
}
