package metric

import (
	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/mkr-dev/mkr/internal/termchart"
	"github.com/urfave/cli/v2"
)

// chartFlag asks `mkr metrics` for a line chart instead of a table, with
// the drawing of `mkr dashboards show`.
func chartFlag() cli.Flag {
	return &cli.BoolFlag{Name: "chart", Usage: "on a terminal, draw the values as a line chart sized to it (piped output stays JSON)"}
}

// wantsChart reports whether the values are drawn: asked for, on a
// terminal, and not filtered through --jq or --format.
func wantsChart(f *cmdutil.Factory, opts metricsOptions) bool {
	return opts.Chart && f.IO.StdoutTTY && opts.Print.JQ == "" && opts.Print.Format == ""
}

// printChart draws one series over --from … --to; without --from the
// chart starts at the first value (--from defaults to the epoch).
func printChart(f *cmdutil.Factory, opts metricsOptions, values []client.MetricValue) error {
	points := make([]termchart.Point, len(values))
	for i, v := range values {
		points[i] = termchart.Point{Time: v.Time, Value: v.Value}
	}
	from := opts.From
	if from == 0 && len(points) > 0 {
		from = points[0].Time
	}
	w, h := termchart.Size(f.IO.Out, f.Getenv)
	text := termchart.Chart([]termchart.Series{{Name: opts.Name, Points: points}}, termchart.Options{
		Width: w, Height: max(h-6, 3), From: from, To: opts.To, Location: f.TimeZone(), Color: f.IO.ColorOut(),
	})
	return f.Printer(opts.Print).PrintText("%s", opts.Name+"\n"+text)
}
