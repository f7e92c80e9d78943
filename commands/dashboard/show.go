package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/mkr-dev/mkr/internal/termchart"
	"github.com/urfave/cli/v2"
)

func newCmdShow(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "draw a custom dashboard in the terminal",
		ArgsUsage: "[--jq <formula>] <id | urlPath>",
		Description: `Draw a dashboard, found by id or urlPath, sized to the terminal (COLUMNS and LINES override it):
   graph widgets as line charts of their data over the widget's range (an hour when it has none), value
   widgets with their fraction size, suffix and format rules, markdown as text, alertStatus as the role's
   open alerts. Expression and query widgets are named but not drawn: the API has no endpoint that
   evaluates them. Widgets come in reading order (top to bottom, left to right), each as wide as its
   share of the 24-column grid. When stdout is not a terminal (or with --jq), the dashboard is printed
   as JSON instead. Requests "GET /api/v0/dashboards/<id>", the metrics, hosts and alerts it shows.

   Example: mkr dashboards show ops/web`,
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

// inReadingOrder sorts widgets top to bottom, then left to right.
func inReadingOrder(ws []client.Widget) []client.Widget {
	out := append([]client.Widget(nil), ws...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Layout.Y != out[j].Layout.Y {
			return out[i].Layout.Y < out[j].Layout.Y
		}
		return out[i].Layout.X < out[j].Layout.X
	})
	return out
}

func (r *renderer) dashboard(d *client.DashboardSpec) string {
	var b strings.Builder
	b.WriteString(d.Title + " (" + d.URLPath + ")\n")
	if d.Memo != "" {
		b.WriteString(d.Memo + "\n")
	}
	for _, w := range inReadingOrder(d.Widgets) {
		b.WriteString("\n")
		width := max(r.width*w.Layout.Width/24, 30)
		b.WriteString(termchart.Box(w.Title, r.widget(w, width-2), width))
	}
	return b.String()
}

func (r *renderer) widget(w client.Widget, width int) string {
	switch w.Type {
	case "graph":
		return r.graph(w, width)
	case "value":
		return r.value(w)
	case "markdown":
		return markdownText(w.Markdown)
	case "alertStatus":
		return r.alertStatus(w)
	}
	return fmt.Sprintf("(a %s widget: not drawn here)", w.Type)
}

// markdownText shows markdown as plain text: headings underlined, the
// rest as written.
func markdownText(md string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(md, "\n"), "\n") {
		trimmed := strings.TrimLeft(line, "#")
		if trimmed != line && strings.HasPrefix(trimmed, " ") {
			title := strings.TrimSpace(trimmed)
			rule := "─"
			if len(line)-len(trimmed) == 1 {
				rule = "═"
			}
			b.WriteString(title + "\n" + strings.Repeat(rule, len([]rune(title))) + "\n")
			continue
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}
