// Package termchart draws metric series as text for a terminal: line
// charts (through github.com/guptarohit/asciigraph) over a time span,
// sized to the columns and rows given. `mkr metrics --chart` draws one
// series with it and `mkr dashboards show` every graph widget.
package termchart

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/guptarohit/asciigraph"
)

// Point is one value at an epoch second.
type Point struct {
	Time  int64
	Value float64
}

// Series is a named line.
type Series struct {
	Name   string
	Points []Point
}

// Line is a horizontal reference line.
type Line struct {
	Label string
	Value float64
}

// Options describe one chart.
type Options struct {
	Width, Height int   // the whole chart's columns and plot rows
	Rows          int   // when set, the whole chart (plot, axis, legend) fits in Rows lines: Height follows
	From, To      int64 // the span drawn, epoch seconds
	Min, Max      *float64
	Lines         []Line
	Location      *time.Location // of the time axis; UTC when nil
	Color         bool           // keep asciigraph's ANSI codes (legend marks)
	Stacked       bool           // each series drawn on top of the ones before it (a stacked graph)
}

// ansi matches the escape codes asciigraph writes even without colours.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// minWidth is the narrowest chart drawn; a narrower terminal gets this.
const minWidth = 30

// yAxisWidth is what asciigraph takes left of the plot for its labels
// ("  123.45 ┤"), with room for large numbers.
const yAxisWidth = 12

// Chart draws the series over [From, To]: each column is the mean of the
// points that fall into it, a column without points is a gap. Lines are
// drawn as flat series after the data. With no point at all it says so.
//
// The chart is as wide as Width allows: the y-axis labels take what the
// numbers need (asciigraph picks their precision from the data), so it is
// drawn once with a guess of their width, then again with the columns
// left over (or missing).
func Chart(series []Series, o Options) string {
	width := max(o.Width, minWidth)
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	any := false
	for _, s := range series {
		for _, p := range s.Points {
			if p.Time >= o.From && p.Time <= o.To {
				any = true
			}
		}
	}
	if !any {
		return "(no data between " + stamp(o.From, loc) + " and " + stamp(o.To, loc) + ")\n"
	}
	cols := width - yAxisWidth
	out := plot(series, o, cols, loc)
	for range 3 {
		wider := cols + width - widest(out)
		if wider == cols || wider < 1 {
			break
		}
		cols = wider
		out = plot(series, o, cols, loc)
	}
	return out
}

// plot draws the chart with cols plot columns.
func plot(series []Series, o Options, cols int, loc *time.Location) string {
	height := max(o.Height, 2)
	if o.Rows > 0 {
		height = PlotHeight(o.Rows, len(series) > 1 || len(o.Lines) > 0)
	}
	data := make([][]float64, 0, len(series)+len(o.Lines))
	legends := make([]string, 0, cap(data))
	for i, s := range series {
		col := resample(s.Points, o.From, o.To, cols)
		if o.Stacked && i > 0 {
			stackOn(col, data[i-1])
		}
		data = append(data, col)
		legends = append(legends, s.Name)
	}
	for _, l := range o.Lines {
		flat := make([]float64, cols)
		for i := range flat {
			flat[i] = l.Value
		}
		data = append(data, flat)
		legends = append(legends, l.Label)
	}
	opts := []asciigraph.Option{
		asciigraph.Height(height),
		asciigraph.Precision(2),
		asciigraph.XAxisRange(float64(o.From), float64(o.To)),
		asciigraph.XAxisTickCount(max(2, min(6, cols/14))),
		asciigraph.XAxisValueFormatter(func(v float64) string { return clock(int64(v), o.To-o.From, loc) }),
	}
	if len(legends) > 1 {
		opts = append(opts, asciigraph.SeriesLegends(legends...))
	}
	if o.Min != nil {
		opts = append(opts, asciigraph.LowerBound(*o.Min))
	}
	if o.Max != nil {
		opts = append(opts, asciigraph.UpperBound(*o.Max))
	}
	out := asciigraph.PlotMany(data, opts...)
	if !o.Color {
		out = ansi.ReplaceAllString(out, "")
	}
	return trimLines(out) + "\n"
}

// widest is the display width of the widest line of a drawn chart,
// leaving out the legend line, which is centred and cut by whoever shows
// the chart.
func widest(chart string) int {
	lines := strings.Split(strings.TrimRight(chart, "\n"), "\n")
	if n := len(lines); n > 2 && strings.TrimSpace(lines[n-2]) == "" {
		lines = lines[:n-2]
	}
	w := 0
	for _, l := range lines {
		w = max(w, len([]rune(ansi.ReplaceAllString(l, ""))))
	}
	return w
}

// PlotHeight is the plot height (asciigraph's Height) of a chart that
// fits in rows lines: asciigraph draws Height+1 plot lines, then the axis
// and its labels, then a blank line and the legend when there is one. At
// least 1, however few the rows.
func PlotHeight(rows int, legend bool) int {
	h := rows - 3
	if legend {
		h -= 2
	}
	return max(h, 1)
}

// stackOn adds below, the stacked line under col, to col, where col has a
// value (a gap stays a gap; a gap below counts as 0). below already holds
// the sum of every series under it.
func stackOn(col, below []float64) {
	for i, v := range col {
		if !math.IsNaN(v) && !math.IsNaN(below[i]) {
			col[i] = v + below[i]
		}
	}
}

// resample puts the points into n columns over [from, to], each the mean
// of its points (NaN when none).
func resample(points []Point, from, to int64, n int) []float64 {
	sums := make([]float64, n)
	counts := make([]int, n)
	span := float64(to - from)
	for _, p := range points {
		if p.Time < from || p.Time > to || span <= 0 {
			continue
		}
		i := int(float64(p.Time-from) / span * float64(n))
		if i >= n {
			i = n - 1
		}
		sums[i] += p.Value
		counts[i]++
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
		if counts[i] > 0 {
			out[i] = sums[i] / float64(counts[i])
		}
	}
	return out
}

// clock labels a time on the axis: hours and minutes within two days,
// the date beyond.
func clock(t, span int64, loc *time.Location) string {
	if span > 2*86400 {
		return time.Unix(t, 0).In(loc).Format("01-02")
	}
	return time.Unix(t, 0).In(loc).Format("15:04")
}

func stamp(t int64, loc *time.Location) string {
	return time.Unix(t, 0).In(loc).Format("2006-01-02 15:04")
}

// trimLines keeps the lines as asciigraph drew them, without trailing
// spaces (golden files and terminals alike do not need them).
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// FormatValue prints a value widget's number: fractionSize decimals (2
// when nil) and the suffix.
func FormatValue(v float64, fractionSize *int64, suffix string) string {
	digits := int64(2)
	if fractionSize != nil {
		digits = *fractionSize
	}
	return fmt.Sprintf("%.*f%s", digits, v, suffix)
}
