package expr

import (
	"context"
)

// maxLinePoints bounds how many points a fitted line has: a range longer
// than a week of minutes is drawn with a coarser step.
const maxLinePoints = 7 * 24 * 60

// regression evaluates linearRegression and timeLeftForecast.
//
// Each input series is fitted by least squares over its points in
// (to − d, to], to being the end of the evaluated range ("now" for a
// monitor). linearRegression gives the fitted line's value at every
// minute of the range. timeLeftForecast(s, d, threshold) gives, at every
// minute t, the seconds from t until the line reaches threshold:
// negative when the line crossed it before t. A series with fewer than
// two points in the fitting window has no points; a flat line never
// reaches the threshold, so timeLeftForecast gives it no points.
func (ev *evaluator) regression(ctx context.Context, c *Call, w window) ([]Series, error) {
	d := c.Args[1].(*Duration)
	read := window{from: min(w.from, floorMinute(w.to-d.Seconds)), to: w.to}
	in, err := ev.eval(ctx, c.Args[0].(*Call), read)
	if err != nil {
		return nil, err
	}
	var threshold *Number
	if c.Func == "timeLeftForecast" {
		threshold = c.Args[2].(*Number)
	}
	for i := range in {
		name := wrapName(c.Func, in[i].Name, d.Literal)
		if threshold != nil {
			name = c.Func + "(" + in[i].Name + ", " + d.Literal + ", " + threshold.Literal + ")"
		}
		intercept, slope, ok := fitLine(in[i].Points, w.to-d.Seconds, w.to)
		pts := []Point{}
		if ok && (threshold == nil || slope != 0) {
			for _, t := range lineTimes(w) {
				v := intercept + slope*float64(t-w.to)
				if threshold != nil {
					// The line meets the threshold at w.to + (th − a)/b.
					v = (threshold.Value-intercept)/slope - float64(t-w.to)
				}
				pts = append(pts, Point{Time: t, Value: v})
			}
		}
		in[i] = Series{Name: name, Points: pts}
	}
	return in, nil
}

// fitLine fits value = intercept + slope·(time − end) by least squares
// over the points with after < time <= end; ok is false with fewer than
// two distinct times.
func fitLine(pts []Point, after, end int64) (intercept, slope float64, ok bool) {
	var n, sx, sy, sxx, sxy float64
	var first int64
	distinct := false
	for _, p := range pts {
		if p.Time <= after || p.Time > end {
			continue
		}
		if n == 0 {
			first = p.Time
		} else if p.Time != first {
			distinct = true
		}
		x := float64(p.Time - end)
		n++
		sx += x
		sy += p.Value
		sxx += x * x
		sxy += x * p.Value
	}
	if !distinct {
		return 0, 0, false
	}
	slope = (n*sxy - sx*sy) / (n*sxx - sx*sx)
	intercept = (sy - slope*sx) / n
	return intercept, slope, true
}

// lineTimes are the minutes of w a fitted line is given at.
func lineTimes(w window) []int64 {
	last := floorMinute(w.to)
	minutes := (last-w.from)/60 + 1
	step := int64(60)
	if minutes > maxLinePoints {
		step = 60 * ((minutes + maxLinePoints - 1) / maxLinePoints)
	}
	var ts []int64
	for t := last; t >= w.from; t -= step {
		ts = append(ts, t)
	}
	// Counted back from the last minute, so "now" always has a value.
	for i, j := 0, len(ts)-1; i < j; i, j = i+1, j-1 {
		ts[i], ts[j] = ts[j], ts[i]
	}
	return ts
}
