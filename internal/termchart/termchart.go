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
	From, To      int64 // the span drawn, epoch seconds
	Min, Max      *float64
	Lines         []Line
	Location      *time.Location // of the time axis; UTC when nil
	Color         bool           // keep asciigraph's ANSI codes (legend marks)
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
func Chart(series []Series, o Options) string {
	width := max(o.Width, minWidth)
	cols := width - yAxisWidth
	height := max(o.Height, 2)
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	data := make([][]float64, 0, len(series)+len(o.Lines))
	legends := make([]string, 0, cap(data))
	any := false
	for _, s := range series {
		col := resample(s.Points, o.From, o.To, cols)
		for _, v := range col {
			if !math.IsNaN(v) {
				any = true
				break
			}
		}
		data = append(data, col)
		legends = append(legends, s.Name)
	}
	if !any {
		return "(no data between " + stamp(o.From, loc) + " and " + stamp(o.To, loc) + ")\n"
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
	if len(legends) > 1 || len(o.Lines) > 0 {
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

// Box frames text with a title line, cut or padded to width columns.
func Box(title string, body string, width int) string {
	width = max(width, minWidth)
	var b strings.Builder
	head := "┌─ " + title + " "
	b.WriteString(head + strings.Repeat("─", max(0, width-runeLen(head))) + "\n")
	for _, l := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
		b.WriteString(strings.TrimRight("│ "+l, " ") + "\n")
	}
	return b.String()
}

func runeLen(s string) int { return len([]rune(s)) }

// FormatValue prints a value widget's number: fractionSize decimals (2
// when nil) and the suffix.
func FormatValue(v float64, fractionSize *int64, suffix string) string {
	digits := int64(2)
	if fractionSize != nil {
		digits = *fractionSize
	}
	return fmt.Sprintf("%.*f%s", digits, v, suffix)
}
