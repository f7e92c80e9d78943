package dashboard

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

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

func (r *renderer) graph(w client.Widget, width int) string {
	g := w.Graph
	if g == nil {
		return "(no graph)"
	}
	from, to := r.now-defaultSpan, r.now
	if w.Range != nil {
		from, to = w.Range.Span(r.now)
	}
	series, note, err := r.series(g, from, to)
	if err != nil {
		return "error: " + err.Error()
	}
	if note != "" {
		return note
	}
	o := termchart.Options{Width: width, Height: min(max(w.Layout.Height-3, 3), max(r.height-8, 3)),
		From: from, To: to, Location: r.loc, Color: r.color}
	if w.ValueRange != nil {
		o.Min, o.Max = w.ValueRange.Min, w.ValueRange.Max
	}
	for _, l := range w.ReferenceLines {
		o.Lines = append(o.Lines, termchart.Line{Label: l.Label, Value: l.Value})
	}
	return termchart.Chart(series, o)
}

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
			points, ferr := r.cl.FetchHostMetricValues(r.ctx, h.ID, g.Name, from, to)
			if ferr != nil {
				return nil, "", ferr
			}
			out = append(out, termchart.Series{Name: h.Name, Points: toPoints(points)})
		}
	case "expression":
		return nil, "expression: " + g.Expression + "\n(not drawn: the API has no endpoint that evaluates an expression)", nil
	case "query":
		return nil, "query: " + g.Query + "\n(not drawn: this server keeps no OpenTelemetry metrics)", nil
	case "unknown":
		return nil, "(what this widget showed was deleted)", nil
	default:
		return nil, fmt.Sprintf("(a %s graph: not drawn here)", g.Type), nil
	}
	return out, "", err
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
func (r *renderer) value(w client.Widget) string {
	if w.Metric == nil {
		return "(no metric)"
	}
	series, note, err := r.series(w.Metric, r.now-valueWindow, r.now)
	if err != nil {
		return "error: " + err.Error()
	}
	if note != "" {
		return note
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
		return "(no data in the last 10 minutes)"
	}
	text := termchart.FormatValue(latest.Value, w.FractionSize, w.Suffix)
	for _, rule := range w.FormatRules {
		if (rule.Operator == ">" && latest.Value > rule.Threshold) || (rule.Operator == "<" && latest.Value < rule.Threshold) {
			mark := fmt.Sprintf("%s  ▲ %s (%s %g)", text, rule.Name, rule.Operator, rule.Threshold)
			if r.color {
				mark = "\x1b[1m\x1b[31m" + mark + "\x1b[0m"
			}
			return mark
		}
	}
	return text
}

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
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d open alert(s)\n", *w.RoleFullname, len(open))
	for _, a := range open {
		fmt.Fprintf(&b, "%-8s %-12s %s %s\n", a.Status, names[a.HostID], a.Type, firstLine(a.Message))
	}
	return b.String()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
