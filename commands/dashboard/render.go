package dashboard

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/backend/expr"
	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/termchart"
)

// defaultSpan is what a graph without a range shows: the last hour.
const defaultSpan = 3600

// valueWindow is how far back a value widget looks for its latest point.
const valueWindow = 600

// renderer draws widgets with the data the API answers.
type renderer struct {
	ctx           context.Context
	cl            *client.Client
	width, height int
	now           int64
	color         bool
	loc           *time.Location
}

// graph draws a graph widget's chart in width×height cells, or a note
// saying why there is none (prose, wrapped).
func (r *renderer) graph(w client.Widget, width, height int) (string, bool) {
	g := w.Graph
	if g == nil {
		return "(no graph)", true
	}
	from, to := r.now-defaultSpan, r.now
	if w.Range != nil {
		from, to = w.Range.Span(r.now)
	}
	series, note, err := r.series(g, from, to)
	if err != nil {
		return "error: " + err.Error(), true
	}
	if note != "" {
		return note, true
	}
	o := termchart.Options{Width: width, Rows: height, From: from, To: to, Location: r.loc, Color: r.color,
		Stacked: g.IsStacked || stackExpression(g)}
	if w.ValueRange != nil {
		o.Min, o.Max = w.ValueRange.Min, w.ValueRange.Max
	}
	for _, l := range w.ReferenceLines {
		o.Lines = append(o.Lines, termchart.Line{Label: l.Label, Value: l.Value})
	}
	return termchart.Chart(series, o), false
}

// stackExpression reports whether g is an expression graph of stack(…),
// which Mackerel draws stacked.
func stackExpression(g *client.WidgetRef) bool {
	if g.Type != "expression" {
		return false
	}
	e, err := expr.Parse(g.Expression)
	if err != nil {
		return false
	}
	c, ok := e.(*expr.Call)
	return ok && c.Func == "stack"
}

// queryNote is why a query graph or value is not drawn: Mackerel
// evaluates these PromQL-style queries over OpenTelemetry metrics in its
// web console only; API v0 has no endpoint for them, and mkr's own server
// receives no OpenTelemetry metrics to evaluate them over.
const queryNote = "(not drawn: API v0 evaluates no OpenTelemetry query, and mkr's server keeps no such metrics)"

// series fetches what a graph or metric reference draws; note explains
// what cannot be drawn.
func (r *renderer) series(g *client.WidgetRef, from, to int64) (out []termchart.Series, note string, err error) {
	switch g.Type {
	case "host":
		out, err = r.metricFamily(g.Name, from, to, g.HostID, "")
	case "service":
		out, err = r.metricFamily(g.Name, from, to, "", g.ServiceName)
	case "role":
		service, role, _ := strings.Cut(g.RoleFullname, ":")
		hosts, herr := r.cl.FindHosts(r.ctx, client.FindHostsParam{Service: service, Roles: []string{role}})
		if herr != nil {
			return nil, "", herr
		}
		for _, h := range hosts {
			family, ferr := r.metricFamily(g.Name, from, to, h.ID, "")
			if ferr != nil {
				return nil, "", ferr
			}
			for _, s := range family {
				// One line per host, named by the host (and the metric,
				// when the graph has several).
				if len(family) == 1 {
					s.Name = h.Name
				} else {
					s.Name = h.Name + " " + s.Name
				}
				out = append(out, s)
			}
		}
	case "expression":
		return r.expression(g.Expression, from, to)
	case "query":
		return nil, queryNote + "\nquery: " + g.Query, nil
	case "unknown":
		return nil, "(what this widget showed was deleted)", nil
	default:
		return nil, fmt.Sprintf("(a %s graph: mkr does not know how to draw it)", g.Type), nil
	}
	return out, "", err
}

// expression evaluates an expression graph over the API's metrics, with
// the evaluator expression monitors use.
func (r *renderer) expression(text string, from, to int64) ([]termchart.Series, string, error) {
	e, err := expr.Parse(text)
	if err != nil {
		return nil, "", err
	}
	result, err := expr.Eval(r.ctx, e, apiSource{r.cl}, from, to)
	if err != nil {
		return nil, "", err
	}
	if len(result) == 0 {
		return nil, "expression: " + text + "\n(no series: the hosts, services or metrics it reads have none)", nil
	}
	out := make([]termchart.Series, len(result))
	for i, s := range result {
		points := make([]termchart.Point, len(s.Points))
		for j, p := range s.Points {
			points[j] = termchart.Point{Time: p.Time, Value: p.Value}
		}
		out[i] = termchart.Series{Name: s.Name, Points: points}
	}
	return out, "", nil
}

// metricFamily fetches the metric name of a host or service; when there is
// no such metric, the metrics under name (a graph such as "loadavg" draws
// loadavg.loadavg1, …).
func (r *renderer) metricFamily(name string, from, to int64, hostID, service string) ([]termchart.Series, error) {
	var names []string
	var err error
	if hostID != "" {
		names, err = r.cl.ListHostMetricNames(r.ctx, hostID)
	} else {
		names, err = r.cl.ListServiceMetricNames(r.ctx, service)
	}
	if err != nil {
		return nil, err
	}
	var pick []string
	for _, n := range names {
		if n == name {
			pick = []string{n}
			break
		}
		if strings.HasPrefix(n, name+".") {
			pick = append(pick, n)
		}
	}
	sort.Strings(pick)
	out := make([]termchart.Series, 0, len(pick))
	for _, n := range pick {
		var points []client.MetricValue
		if hostID != "" {
			points, err = r.cl.FetchHostMetricValues(r.ctx, hostID, n, from, to)
		} else {
			points, err = r.cl.FetchServiceMetricValues(r.ctx, service, n, from, to)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, termchart.Series{Name: n, Points: toPoints(points)})
	}
	return out, nil
}

func toPoints(vs []client.MetricValue) []termchart.Point {
	out := make([]termchart.Point, len(vs))
	for i, v := range vs {
		out[i] = termchart.Point{Time: v.Time, Value: v.Value}
	}
	return out
}

// value shows the latest point of the last ten minutes, formatted, and
// the format rule it crosses.
func (r *renderer) value(w client.Widget) (text string, number bool) {
	if w.Metric == nil {
		return "(no metric)", false
	}
	series, note, err := r.series(w.Metric, r.now-valueWindow, r.now)
	if err != nil {
		return "error: " + err.Error(), false
	}
	if note != "" {
		return note, false
	}
	var latest *termchart.Point
	for _, s := range series {
		for i := range s.Points {
			if latest == nil || s.Points[i].Time >= latest.Time {
				latest = &s.Points[i]
			}
		}
	}
	if latest == nil {
		return "(no data in the last 10 minutes)", false
	}
	text = termchart.FormatValue(latest.Value, w.FractionSize, w.Suffix)
	for _, rule := range w.FormatRules {
		if (rule.Operator == ">" && latest.Value > rule.Threshold) || (rule.Operator == "<" && latest.Value < rule.Threshold) {
			mark := fmt.Sprintf("▲ %s (%s %g)", rule.Name, rule.Operator, rule.Threshold)
			if r.color {
				text, mark = alarm(text), alarm(mark)
			}
			return text + "\n" + mark, true
		}
	}
	return text, true
}

// alarm is a value past its format rule's threshold, in bold red.
func alarm(s string) string { return "\x1b[1m\x1b[31m" + s + "\x1b[0m" }

// alertStatus lists the open alerts of the role's hosts.
func (r *renderer) alertStatus(w client.Widget) string {
	if w.RoleFullname == nil {
		return "(the role of this widget was deleted)"
	}
	service, role, _ := strings.Cut(*w.RoleFullname, ":")
	hosts, err := r.cl.FindHosts(r.ctx, client.FindHostsParam{Service: service, Roles: []string{role}})
	if err != nil {
		return "error: " + err.Error()
	}
	names := map[string]string{}
	for _, h := range hosts {
		names[h.ID] = h.Name
	}
	var open []*client.Alert
	next := ""
	for {
		page, err := r.cl.FindAlerts(r.ctx, false, next, 100)
		if err != nil {
			return "error: " + err.Error()
		}
		for _, a := range page.Alerts {
			if _, ok := names[a.HostID]; ok {
				open = append(open, a)
			}
		}
		if page.NextID == "" {
			break
		}
		next = page.NextID
	}
	if len(open) == 0 {
		return fmt.Sprintf("%s: OK, no open alerts (%d hosts)", *w.RoleFullname, len(hosts))
	}
	nameWidth := 0
	for _, a := range open {
		nameWidth = max(nameWidth, len(names[a.HostID]))
	}
	var b strings.Builder
	if len(open) == 1 {
		fmt.Fprintf(&b, "%s: 1 open alert\n", *w.RoleFullname)
	} else {
		fmt.Fprintf(&b, "%s: %d open alerts\n", *w.RoleFullname, len(open))
	}
	for _, a := range open {
		fmt.Fprintf(&b, "%-8s %-*s %s: %s\n", a.Status, nameWidth, names[a.HostID], a.Type, firstLine(a.Message))
	}
	return b.String()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
