package expr

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// The reasons Value gives no value. An expression monitor turns
// ErrNoSeries and ErrNoPoint into an UNKNOWN alert; ErrSeveralSeries
// means the expression cannot be monitored (Mackerel monitors only
// expressions that draw a single line).
var (
	ErrNoSeries      = errors.New("the expression gives no series")
	ErrNoPoint       = errors.New("the expression's series has no value")
	ErrSeveralSeries = errors.New("the expression gives several series; a monitor needs exactly one")
)

// MonitorLookbackMinutes is how old the value a monitor reads may be: a
// point in at's minute or the 4 minutes before counts, an older one does
// not (the metric stopped, or lags more than evaluateBackwardMinutes
// allows for). It equals Mackerel's 5-minute expression interval.
const MonitorLookbackMinutes = 5

// Value is the value an expression monitor compares with its thresholds:
// the result must be exactly one series, and its value is the newest
// point at or before at (at = now − evaluateBackwardMinutes). It returns
// that point's value and time, or an error wrapping ErrNoSeries (zero
// series), ErrNoPoint (one series without a point at or before at) or
// ErrSeveralSeries (naming the first few series).
func Value(series []Series, at int64) (v float64, t int64, err error) {
	switch {
	case len(series) == 0:
		return 0, 0, ErrNoSeries
	case len(series) > 1:
		names := make([]string, 0, 3)
		for _, s := range series[:min(3, len(series))] {
			names = append(names, s.Name)
		}
		more := ""
		if len(series) > 3 {
			more = ", …"
		}
		return 0, 0, fmt.Errorf("%w: %d series (%s%s)", ErrSeveralSeries, len(series), strings.Join(names, ", "), more)
	}
	pts := series[0].Points
	for i := len(pts) - 1; i >= 0; i-- {
		if pts[i].Time <= at {
			return pts[i].Value, pts[i].Time, nil
		}
	}
	return 0, 0, fmt.Errorf("%w: %s has no point at or before %d", ErrNoPoint, series[0].Name, at)
}

// MonitorValue evaluates e for an expression monitor at now: it reads
// the newest point at or before now − backwardMinutes·60, within
// MonitorLookbackMinutes (see Value for the errors).
func MonitorValue(ctx context.Context, e Expr, src Source, now int64, backwardMinutes int) (v float64, t int64, err error) {
	at := now - int64(backwardMinutes)*60
	series, err := Eval(ctx, e, src, floorMinute(at)-(MonitorLookbackMinutes-1)*60, at)
	if err != nil {
		return 0, 0, err
	}
	return Value(series, at)
}
