package expr

import (
	"context"
	"fmt"
	"sort"
)

// Point is one value at a time (epoch seconds). The package has its own
// point type, not the store's, so that it links nothing but the standard
// library: the CLI evaluates dashboards' expression graphs with it over
// the API (a Source fed by the HTTP client), and must not link the
// backend's storage packages (docs/architecture.md). exprstore adapts a
// store.
type Point struct {
	Time  int64
	Value float64
}

// Series is one line of a result: a name for people and its points,
// oldest first, one per minute at most.
type Series struct {
	Name   string
	Points []Point
}

// Host is a member of a role.
type Host struct{ ID, Name string }

// Source is where Eval reads metrics.
type Source interface {
	// HostMetrics returns the host's series whose names match pattern (a
	// metric name, possibly with * or #), with points in [from, to], each
	// named by its metric name.
	HostMetrics(ctx context.Context, hostID, pattern string, from, to int64) ([]Series, error)
	// ServiceMetrics is HostMetrics for a service's metrics.
	ServiceMetrics(ctx context.Context, service, pattern string, from, to int64) ([]Series, error)
	// RoleHosts returns the live hosts of a role, id and name, in a stable
	// order.
	RoleHosts(ctx context.Context, service, role string) ([]Host, error)
}

// Eval computes e over [from, to] (epoch seconds).
//
// Time: series are read at one-minute resolution, as Mackerel stores
// them. from is moved back to the start of its minute, every point's
// time is truncated to its minute, and when a series has several points
// in one minute the latest wins. So series posted at different seconds of the same minute
// line up, and every result time is a multiple of 60.
//
// Missing points: functions of several series (avg, max, min, sum,
// product, percentile) compute, at each minute where at least one input
// series has a point, over the series that have one there; diff and
// divide give a point only where both sides have one (and divide none
// where the divisor is 0). No value is ever interpolated.
//
// Names: host(id, m) names each series "<id>.<metric>", service(s, m)
// "<s>.<metric>", role and roleSlots "<host name>.<metric>". A function
// of several series names its one result after itself as Describe
// renders it ("avg(role(Blog:db, loadavg5))"); a function applied to
// each series wraps that series' name ("scale(web1.loadavg5, 2)"); alias
// renames every series; group and stack keep names.
//
// See the function files for each function's rule. Functions that have
// no input series give no series.
func Eval(ctx context.Context, e Expr, src Source, from, to int64) ([]Series, error) {
	c, ok := e.(*Call)
	if !ok {
		return nil, fmt.Errorf("expr: cannot evaluate %T: an expression is a function call", e)
	}
	if from > to {
		return nil, fmt.Errorf("expr: empty time range %d..%d", from, to)
	}
	ev := &evaluator{src: src}
	return ev.eval(ctx, c, window{from: floorMinute(from), to: to})
}

// window is the range a call reads: from is a multiple of 60 (the start
// of the first minute), to the last second included.
type window struct{ from, to int64 }

// shift moves w by d seconds (a multiple of 60).
func (w window) shift(d int64) window { return window{w.from + d, w.to + d} }

func floorMinute(t int64) int64 {
	m := t % 60
	if m < 0 {
		m += 60
	}
	return t - m
}

type evaluator struct {
	src Source
}

func (ev *evaluator) eval(ctx context.Context, c *Call, w window) ([]Series, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch c.Func {
	case "host", "service", "role", "roleSlots":
		return ev.read(ctx, c, w)
	case "avg", "max", "min", "sum", "product":
		in, err := ev.eval(ctx, c.Args[0].(*Call), w)
		if err != nil {
			return nil, err
		}
		return aggregate(Describe(c), in, reducers[c.Func]), nil
	case "percentile":
		in, err := ev.eval(ctx, c.Args[0].(*Call), w)
		if err != nil {
			return nil, err
		}
		return aggregate(Describe(c), in, percentileOf(c.Args[1].(*Number).Value)), nil
	case "diff", "divide":
		return ev.binary(ctx, c, w)
	case "scale", "offset":
		return ev.pointwise(ctx, c, w)
	case "timeShift":
		return ev.timeShift(ctx, c, w)
	case "movingAverage":
		return ev.movingAverage(ctx, c, w)
	case "linearRegression", "timeLeftForecast":
		return ev.regression(ctx, c, w)
	case "group":
		var out []Series
		for _, a := range c.Args {
			s, err := ev.eval(ctx, a.(*Call), w)
			if err != nil {
				return nil, err
			}
			out = append(out, s...)
		}
		return out, nil
	case "stack":
		// Stacking is how a graph draws its lines; the values are the
		// input's.
		return ev.eval(ctx, c.Args[0].(*Call), w)
	case "alias":
		in, err := ev.eval(ctx, c.Args[0].(*Call), w)
		if err != nil {
			return nil, err
		}
		name := c.Args[1].(*String).Value
		for i := range in {
			in[i].Name = name
		}
		return in, nil
	}
	// Parse admits only the functions above.
	return nil, fmt.Errorf("expr: function %q cannot be evaluated", c.Func)
}

// read evaluates the functions that read metrics.
func (ev *evaluator) read(ctx context.Context, c *Call, w window) ([]Series, error) {
	owner, pattern := c.Args[0].(*String).Value, c.Args[1].(*String).Value
	switch c.Func {
	case "host":
		s, err := ev.src.HostMetrics(ctx, owner, pattern, w.from, w.to)
		return named(owner, s), err
	case "service":
		s, err := ev.src.ServiceMetrics(ctx, owner, pattern, w.from, w.to)
		return named(owner, s), err
	}
	// role and roleSlots. The store keeps no history of role membership,
	// so roleSlots reads the role's current hosts as role does; Parse
	// still limits it to the metrics Mackerel allows there.
	svc, role := splitRole(owner)
	hosts, err := ev.src.RoleHosts(ctx, svc, role)
	if err != nil {
		return nil, err
	}
	var out []Series
	for _, h := range hosts {
		s, err := ev.src.HostMetrics(ctx, h.ID, pattern, w.from, w.to)
		if err != nil {
			return nil, err
		}
		out = append(out, named(h.Name, s)...)
	}
	return out, nil
}

func splitRole(full string) (service, role string) {
	for i := 0; i < len(full); i++ {
		if full[i] == ':' {
			return full[:i], full[i+1:]
		}
	}
	return full, ""
}

// named prefixes each series' metric name with its owner and puts its
// points on whole minutes.
func named(owner string, in []Series) []Series {
	out := make([]Series, len(in))
	for i, s := range in {
		out[i] = Series{Name: owner + "." + s.Name, Points: onMinutes(s.Points)}
	}
	return out
}

// onMinutes truncates every time to its minute; of several points in one
// minute the latest wins.
func onMinutes(in []Point) []Point {
	pts := append([]Point(nil), in...)
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].Time < pts[j].Time })
	out := pts[:0]
	for _, p := range pts {
		p.Time = floorMinute(p.Time)
		if n := len(out); n > 0 && out[n-1].Time == p.Time {
			out[n-1] = p
			continue
		}
		out = append(out, p)
	}
	return out
}
