package expr

import (
	"context"
	"fmt"
	"math"
	"sort"
)

// reducer combines the values present at one minute (never empty, in
// the order of the input series).
type reducer func(vals []float64) float64

var reducers = map[string]reducer{
	"avg": func(v []float64) float64 { return sumOf(v) / float64(len(v)) },
	"sum": sumOf,
	"max": func(v []float64) float64 {
		m := v[0]
		for _, x := range v[1:] {
			m = math.Max(m, x)
		}
		return m
	},
	"min": func(v []float64) float64 {
		m := v[0]
		for _, x := range v[1:] {
			m = math.Min(m, x)
		}
		return m
	},
	"product": func(v []float64) float64 {
		p := 1.0
		for _, x := range v {
			p *= x
		}
		return p
	},
}

func sumOf(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

// percentileOf interpolates linearly between the two nearest ranks: with
// the n values sorted, the p-th percentile sits at rank p/100·(n−1)
// (so the 50th of 1, 2, 3, 4 is 2.5, and any percentile of one value is
// that value).
func percentileOf(p float64) reducer {
	return func(v []float64) float64 {
		s := append([]float64(nil), v...)
		sort.Float64s(s)
		r := p / 100 * float64(len(s)-1)
		lo := int(math.Floor(r))
		hi := int(math.Ceil(r))
		return s[lo] + (r-float64(lo))*(s[hi]-s[lo])
	}
}

// aggregate reduces the series, minute by minute, to one series named
// name. No input series gives no series.
func aggregate(name string, in []Series, f reducer) []Series {
	if len(in) == 0 {
		return nil
	}
	byTime := map[int64][]float64{}
	for _, s := range in {
		for _, p := range s.Points {
			byTime[p.Time] = append(byTime[p.Time], p.Value)
		}
	}
	times := make([]int64, 0, len(byTime))
	for t := range byTime {
		times = append(times, t)
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	out := Series{Name: name, Points: make([]Point, 0, len(times))}
	for _, t := range times {
		out.Points = append(out.Points, Point{Time: t, Value: f(byTime[t])})
	}
	return []Series{out}
}

// binary evaluates diff and divide. The sides pair up series by series
// when they have as many; a side of one series applies to each series of
// the other; other counts are an error. A point exists where both series
// have one (divide: and the divisor is not 0).
func (ev *evaluator) binary(ctx context.Context, c *Call, w window) ([]Series, error) {
	left, err := ev.eval(ctx, c.Args[0].(*Call), w)
	if err != nil {
		return nil, err
	}
	right, err := ev.eval(ctx, c.Args[1].(*Call), w)
	if err != nil {
		return nil, err
	}
	n := len(left)
	switch {
	case len(left) == len(right):
	case len(right) == 1:
	case len(left) == 1:
		n = len(right)
	default:
		return nil, fmt.Errorf("%s: cannot pair %d series with %d series (give one series on a side, or as many on both)", c.Func, len(left), len(right))
	}
	if len(left) == 0 || len(right) == 0 {
		return nil, nil
	}
	out := make([]Series, n)
	for i := range out {
		a, b := left[min(i, len(left)-1)], right[min(i, len(right)-1)]
		out[i] = Series{Name: c.Func + "(" + a.Name + ", " + b.Name + ")", Points: combine(c.Func, a.Points, b.Points)}
	}
	return out, nil
}

// combine applies diff or divide at the times both a and b have a point.
func combine(fn string, a, b []Point) []Point {
	out := []Point{}
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].Time < b[j].Time:
			i++
		case a[i].Time > b[j].Time:
			j++
		default:
			if fn == "diff" {
				out = append(out, Point{Time: a[i].Time, Value: a[i].Value - b[j].Value})
			} else if b[j].Value != 0 {
				out = append(out, Point{Time: a[i].Time, Value: a[i].Value / b[j].Value})
			}
			i++
			j++
		}
	}
	return out
}

// pointwise evaluates scale (multiply) and offset (add) on each point.
func (ev *evaluator) pointwise(ctx context.Context, c *Call, w window) ([]Series, error) {
	in, err := ev.eval(ctx, c.Args[0].(*Call), w)
	if err != nil {
		return nil, err
	}
	k := c.Args[1].(*Number)
	for i := range in {
		pts := make([]Point, len(in[i].Points))
		for j, p := range in[i].Points {
			if c.Func == "scale" {
				p.Value *= k.Value
			} else {
				p.Value += k.Value
			}
			pts[j] = p
		}
		in[i] = Series{Name: wrapName(c.Func, in[i].Name, k.Literal), Points: pts}
	}
	return in, nil
}

func wrapName(fn, name, arg string) string { return fn + "(" + name + ", " + arg + ")" }

// timeShift shows, at each time t, the input's value at t − d: the input
// is read d earlier and moved forward by d.
func (ev *evaluator) timeShift(ctx context.Context, c *Call, w window) ([]Series, error) {
	d := c.Args[1].(*Duration)
	in, err := ev.eval(ctx, c.Args[0].(*Call), w.shift(-d.Seconds))
	if err != nil {
		return nil, err
	}
	for i := range in {
		pts := make([]Point, len(in[i].Points))
		for j, p := range in[i].Points {
			pts[j] = Point{Time: p.Time + d.Seconds, Value: p.Value}
		}
		in[i] = Series{Name: wrapName(c.Func, in[i].Name, d.Literal), Points: pts}
	}
	return in, nil
}

// movingAverage gives, at each time t the input has a point in the
// range, the mean of the input's points in (t − d, t]: 5m averages the
// points of the 5 minutes ending at t. The input is read from d earlier
// so the first points of the range have full windows.
func (ev *evaluator) movingAverage(ctx context.Context, c *Call, w window) ([]Series, error) {
	d := c.Args[1].(*Duration)
	in, err := ev.eval(ctx, c.Args[0].(*Call), window{w.from - d.Seconds, w.to})
	if err != nil {
		return nil, err
	}
	for i := range in {
		src := in[i].Points
		pts := []Point{}
		lo := 0
		for j, p := range src {
			for src[lo].Time <= p.Time-d.Seconds {
				lo++
			}
			if p.Time < w.from {
				continue
			}
			// Summed afresh for each window: a running sum would carry
			// rounding errors from points long out of the window.
			pts = append(pts, Point{Time: p.Time, Value: sumPoints(src[lo:j+1]) / float64(j+1-lo)})
		}
		in[i] = Series{Name: wrapName(c.Func, in[i].Name, d.Literal), Points: pts}
	}
	return in, nil
}

func sumPoints(pts []Point) float64 {
	s := 0.0
	for _, p := range pts {
		s += p.Value
	}
	return s
}
