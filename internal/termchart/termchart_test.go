package termchart

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func TestResampleMeansAndGaps(t *testing.T) {
	got := resample([]Point{{0, 1}, {1, 3}, {9, 5}, {20, 7}}, 0, 10, 5)
	want := []float64{2, math.NaN(), math.NaN(), math.NaN(), 5}
	for i := range want {
		if !(got[i] == want[i] || math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			t.Fatalf("resample = %v; want %v", got, want)
		}
	}
}

func TestChartWithoutData(t *testing.T) {
	got := Chart([]Series{{Name: "x", Points: []Point{{5, 1}}}}, Options{Width: 40, Height: 3, From: 3600, To: 7200})
	if got != "(no data between 1970-01-01 01:00 and 1970-01-01 02:00)\n" {
		t.Fatalf("Chart = %q", got)
	}
}

func TestChartFitsWidthWithoutColour(t *testing.T) {
	points := []Point{{0, 1}, {600, 2}, {1200, 0}}
	out := Chart([]Series{{Name: "a", Points: points}, {Name: "b", Points: points}}, Options{Width: 50, Height: 4, From: 0, To: 1200})
	if strings.Contains(out, "\x1b") {
		t.Fatalf("colour codes without Color: %q", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if n := len([]rune(l)); n > 50 {
			t.Fatalf("line of %d columns in a 50-column chart: %q", n, l)
		}
	}
}

func TestSizeFromEnvironment(t *testing.T) {
	env := map[string]string{"COLUMNS": "132", "LINES": "40"}
	if w, h := Size(&bytes.Buffer{}, func(k string) string { return env[k] }); w != 132 || h != 40 {
		t.Fatalf("Size = %d×%d", w, h)
	}
	if w, h := Size(&bytes.Buffer{}, func(string) string { return "" }); w != 80 || h != 24 {
		t.Fatalf("Size without a terminal = %d×%d", w, h)
	}
}

// A stacked chart draws each series on the sum of those before it: the
// top of two flat series of 1 and 2 is at 3.
func TestChartStacked(t *testing.T) {
	flat := func(v float64) []Point { return []Point{{0, v}, {600, v}, {1200, v}} }
	series := []Series{{Name: "a", Points: flat(1)}, {Name: "b", Points: flat(2)}}
	o := Options{Width: 40, Height: 3, From: 0, To: 1200, Stacked: true}
	if out := Chart(series, o); !strings.Contains(out, "3.00 ┼") {
		t.Fatalf("stacked chart has no line at 3:\n%s", out)
	}
	o.Stacked = false
	if out := Chart(series, o); strings.Contains(out, "3.00") {
		t.Fatalf("unstacked chart reaches 3:\n%s", out)
	}
}
