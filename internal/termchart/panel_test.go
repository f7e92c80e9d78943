package termchart

import (
	"strings"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

func TestComposeSideBySide(t *testing.T) {
	got := Compose([]Panel{
		{Row: 0, Col: 10, Width: 10, Height: 4, Title: "right", Body: "b"},
		{Row: 0, Col: 0, Width: 10, Height: 3, Title: "left", Body: "a"},
		{Row: 4, Col: 0, Width: 20, Height: 3, Title: "below", Body: "c"},
	}, 20)
	want := "" +
		"┌─ left ─┐┌─ right ┐\n" +
		"│ a      ││ b      │\n" +
		"└────────┘│        │\n" +
		"          └────────┘\n" +
		"┌─ below ──────────┐\n" +
		"│ c                │\n" +
		"└──────────────────┘\n"
	if got != want {
		t.Fatalf("Compose =\n%s\nwant\n%s", got, want)
	}
}

// Lines too long are cut (or wrapped), lines too many are cut with a
// count, and every line of a frame is exactly its width, wide characters
// and colours included.
func TestFrameFitsItsSize(t *testing.T) {
	body := "the quick brown fox jumps over the lazy dog\n日本語のタイトルです\n\x1b[31mred text that is long\x1b[0m\nfour\nfive"
	for _, wrap := range []bool{false, true} {
		lines := Frame("a title longer than the box", body, 16, 6, wrap)
		if len(lines) != 6 {
			t.Fatalf("wrap %v: %d lines, want 6:\n%s", wrap, len(lines), strings.Join(lines, "\n"))
		}
		for _, l := range lines {
			if w := twwidth.Width(l); w != 16 {
				t.Errorf("wrap %v: line %q is %d wide, want 16", wrap, l, w)
			}
		}
		if last := lines[4]; !strings.Contains(last, "⋯ +") {
			t.Errorf("wrap %v: the last body line %q does not count what was cut", wrap, last)
		}
	}
	cut := Frame("t", "the quick brown fox", 12, 3, false)[1]
	if cut != "│ the qui… │" {
		t.Errorf("a cut line = %q", cut)
	}
	wrapped := Frame("t", "the quick brown fox jumps", 12, 6, true)
	if got := strings.Join(wrapped[1:5], "\n"); got != "│ the      │\n│ quick    │\n│ brown    │\n│ ⋯ +2     │" {
		t.Errorf("wrapped lines =\n%s", got)
	}
}

func TestWrapKeepsIndent(t *testing.T) {
	if got := Wrap("  - one two three four", 12); got != "  - one two\n  three four\n" {
		t.Fatalf("Wrap = %q", got)
	}
}

// Chart uses the width it is given: the y-axis labels take what the
// numbers need, the plot the rest.
func TestChartUsesItsWidth(t *testing.T) {
	points := []Point{{0, 1000}, {600, 2000}, {1200, 1500}}
	for _, width := range []int{30, 45, 80} {
		out := Chart([]Series{{Name: "a", Points: points}}, Options{Width: width, Rows: 8, From: 0, To: 1200})
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		if len(lines) != 8 {
			t.Errorf("width %d: %d lines, want 8:\n%s", width, len(lines), out)
		}
		got := 0
		for _, l := range lines {
			got = max(got, twwidth.Width(l))
		}
		if got > width || got < width-2 {
			t.Errorf("width %d: the widest line is %d:\n%s", width, got, out)
		}
	}
}
