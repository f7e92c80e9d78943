package check

import (
	"strings"
	"testing"
)

// TestYAMLScalarQuoting: one-line values are quoted as upstream's encoder
// (gopkg.in/yaml.v2 v2.4.0) quotes them — the expected forms were printed
// by that encoder: single quotes where plain text would be other syntax,
// double quotes where a plain word would read as another type or where
// the text needs escapes.
func TestYAMLScalarQuoting(t *testing.T) {
	tests := []struct {
		in          string
		flow, block string
	}{
		{"a: b", "'a: b'", "'a: b'"},
		{"OK: load 0.5", "'OK: load 0.5'", "'OK: load 0.5'"},
		{"it's", "it's", "it's"},
		{"a: 'b'", "'a: ''b'''", "'a: ''b'''"},
		{" lead", "' lead'", "' lead'"},
		{"trail ", "'trail '", "'trail '"},
		{"#x", "'#x'", "'#x'"},
		{"a #x", "'a #x'", "'a #x'"},
		{"a#x", "a#x", "a#x"},
		{"-x", "-x", "-x"},
		{"- x", "'- x'", "'- x'"},
		{"?x", "'?x'", "?x"},
		{":x", "':x'", ":x"},
		{"x:", "'x:'", "'x:'"},
		{"a,b", "'a,b'", "a,b"},
		{"[x]", "'[x]'", "'[x]'"},
		{"%x", "'%x'", "'%x'"},
		{"@x", "'@x'", "'@x'"},
		{"---x", "'---x'", "'---x'"},
		{"tab\there", `"tab\there"`, `"tab\there"`},
		{"ok\r", `"ok\r"`, `"ok\r"`},
		{"2024-05-06", `"2024-05-06"`, `"2024-05-06"`},
		{"1:20", `"1:20"`, `"1:20"`},
		{"1_000", `"1_000"`, `"1_000"`},
		{"0x1F", `"0x1F"`, `"0x1F"`},
		{"1e3", `"1e3"`, `"1e3"`},
		{"Inf", "Inf", "Inf"},
		{".inf", `".inf"`, `".inf"`},
		{"tRuE", "tRuE", "tRuE"},
		{"yes", `"yes"`, `"yes"`},
		{"null", `"null"`, `"null"`},
		{"Null", `"Null"`, `"Null"`},
		{"nUll", "nUll", "nUll"},
		{"", `""`, `""`},
		{"é", "é", "é"},
		{"a \nb", `"a \nb"`, `"a \nb"`},
	}
	for _, tt := range tests {
		if got := yamlScalar(tt.in, true); got != tt.flow {
			t.Errorf("flow %q: %s, want %s", tt.in, got, tt.flow)
		}
		if got := yamlScalar(tt.in, false); got != tt.block {
			t.Errorf("block %q: %s, want %s", tt.in, got, tt.block)
		}
	}
	// Multi-line values are literal blocks unless escapes are needed.
	var b strings.Builder
	yamlField(&b, "stdout", "line1\nline2")
	yamlField(&b, "stderr", "a \nb")
	if want := "  stdout: |-\n    line1\n    line2\n  stderr: \"a \\nb\"\n"; b.String() != want {
		t.Errorf("fields:\n%s\nwant:\n%s", b.String(), want)
	}
}
