package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/mkr-dev/mkr/internal/termchart"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/urfave/cli/v2"
)

func newCmdShow(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "draw a custom dashboard in the terminal",
		ArgsUsage: "[--jq <formula>] <id | urlPath>",
		Description: `Draw a dashboard, found by id or urlPath, in the terminal: each widget in a titled box where the
   dashboard's 24-column grid puts it (x, y, width and height), scaled to the terminal's width, so widgets
   laid side by side are drawn side by side. One grid unit of height is a twelfth of the terminal's
   height in lines (2 to 4). The size is the terminal's (COLUMNS and LINES override it; 80×24 when it
   cannot be read). When the terminal is too narrow for every widget to get its minimum width on the grid
   (32 columns for a graph, 20 for the others: 128 columns for a dashboard with 6-wide graphs, 64 for
   12-wide ones), the widgets are stacked in one column at full width in reading order, and the first
   line says so and how wide the grid needs the terminal to be.

   Graph widgets are line charts of their data over the widget's range (an hour when it has none): host,
   service and role graphs read the metric (or the metrics under its name, as "loadavg" draws
   loadavg.loadavg1, …), expression graphs are evaluated by mkr over the same metrics (the API has no
   endpoint that evaluates one); query graphs, over OpenTelemetry metrics, say why they are not drawn.
   Value widgets show the latest point of the last 10 minutes with their fraction size, suffix and
   format rules, markdown is shown as text, alertStatus lists the role's open alerts. What does not fit
   a box is cut, and the box says how many lines were left out.

   When stdout is not a terminal (or with --jq), the dashboard is printed as JSON instead. Requests
   "GET /api/v0/dashboards/<id>", the metrics, hosts and alerts it shows.

   Examples:
     mkr dashboards show ops/web
     # the titles of its widgets, as JSON is printed when piped
     mkr dashboards show ops/web --jq '.widgets[].title'`,
		Flags: []cli.Flag{cmdutil.JQFlag()},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return cmdutil.FlagErrorf("show needs one dashboard id or urlPath")
			}
			return runShow(c.Context, f, c.Args().First(), cmdutil.PrintOptionsFrom(c))
		},
	}
}

func runShow(ctx context.Context, f *cmdutil.Factory, ref string, opts cmdutil.PrintOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	d, err := findByIDOrURLPath(ctx, cl, ref)
	if err != nil {
		return err
	}
	if !f.IO.StdoutTTY || opts.JQ != "" {
		return f.Printer(opts).Print(cmdutil.Output{JSON: d})
	}
	spec, err := d.Parse()
	if err != nil {
		return err
	}
	w, h := termchart.Size(f.IO.Out, f.Getenv)
	r := &renderer{ctx: ctx, cl: cl, width: w, height: h, now: f.Now().Unix(), color: f.IO.ColorOut(), loc: f.TimeZone()}
	return f.Printer(opts).PrintText("%s", r.dashboard(spec))
}

// findByIDOrURLPath tries ref as an id, then as a urlPath.
func findByIDOrURLPath(ctx context.Context, cl *client.Client, ref string) (*client.Dashboard, error) {
	d, err := cl.FindDashboard(ctx, ref)
	var apiErr *client.APIError
	if err == nil || !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		return d, err
	}
	list, lerr := cl.FindDashboards(ctx)
	if lerr != nil {
		return nil, lerr
	}
	for _, item := range list {
		if item.URLPath() == ref {
			return cl.FindDashboard(ctx, item.ID())
		}
	}
	return nil, fmt.Errorf("no dashboard has the id or urlPath %q", ref)
}

// dashboard draws the title, the memo and the widgets where layout
// puts them.
func (r *renderer) dashboard(d *client.DashboardSpec) string {
	var b strings.Builder
	b.WriteString(termchart.Wrap(d.Title+" ("+d.URLPath+")", r.width))
	b.WriteString(termchart.Wrap(d.Memo, r.width))
	boxes, stacked, gridWidth := layout(d.Widgets, r.width, r.height)
	if stacked {
		b.WriteString(termchart.Wrap(fmt.Sprintf("(one column: the grid needs %d columns)", gridWidth), r.width))
	}
	b.WriteString("\n")
	panels := make([]termchart.Panel, len(boxes))
	for i, bx := range boxes {
		width, height := termchart.Inside(bx.width, bx.height)
		body, wrap := r.widget(bx.w, width, height)
		panels[i] = termchart.Panel{Row: bx.row, Col: bx.col, Width: bx.width, Height: bx.height,
			Title: bx.w.Title, Body: body, Wrap: wrap}
	}
	b.WriteString(termchart.Compose(panels, r.width))
	return b.String()
}

// widget draws a widget's inside, width×height cells; wrap says whether
// its lines are prose (wrapped) rather than a chart or table (cut).
func (r *renderer) widget(w client.Widget, width, height int) (body string, wrap bool) {
	switch w.Type {
	case "graph":
		return r.graph(w, width, height)
	case "value":
		text, number := r.value(w)
		if number {
			text = centred(text, width, height)
		}
		return text, true
	case "markdown":
		return markdownText(w.Markdown), true
	case "alertStatus":
		return r.alertStatus(w), false
	}
	return fmt.Sprintf("(a %s widget: mkr does not know how to draw it)", w.Type), true
}

// centred puts a value widget's lines in the middle of width×height
// cells, as the web console shows its number; a line too long to centre
// is left to wrap.
func centred(text string, width, height int) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if w := twwidth.Width(l); w <= width {
			lines[i] = strings.Repeat(" ", (width-w)/2) + l
		}
	}
	return strings.Repeat("\n", max(height-len(lines), 0)/2) + strings.Join(lines, "\n")
}
