package engine

import (
	"context"

	"github.com/mkr-dev/mkr/backend/expr"
	"github.com/mkr-dev/mkr/backend/expr/exprstore"
	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// evaluateExpression evaluates an expression monitor at the latest
// 5-minute tick it has not been evaluated at: the expression's value
// evaluateBackwardMinutes before the tick, which must be exactly one
// series with a point; anything else (no data, a metric that cannot be
// read, several series) is UNKNOWN. Only the latest tick is evaluated
// after a gap: the rule keeps no attempts, so earlier ticks could not
// change the outcome. The tick is claimed in the transaction that writes
// its result, so no two engines evaluate it twice.
func (e *Engine) evaluateExpression(ctx context.Context, m *monitor.Monitor, snap *snapshot) error {
	now := snap.now.Unix()
	step := int64(expressionInterval.Seconds())
	tick := now - now%step
	r := result{status: statusOK, dataAt: tick, attempts: 1, openable: snap.openable(m, nil)}
	value, err := e.expressionValue(ctx, m, tick)
	if err != nil {
		r.status, r.message = statusUnknown, err.Error()
	} else {
		r.status, r.value = judge(m, value), &value
	}
	return e.st.InTx(ctx, func(tx store.Tx) error {
		done, err := tx.EvaluationCursor(ctx, m.ID)
		if err != nil || done >= tick {
			return err
		}
		if err := tx.SetEvaluationCursor(ctx, m.ID, tick); err != nil {
			return err
		}
		return applyResult(ctx, tx, m, r, tx.Now().Unix())
	})
}

// expressionValue is the expression's value evaluateBackwardMinutes
// before the tick (see expr.MonitorValue for the one-series rule).
func (e *Engine) expressionValue(ctx context.Context, m *monitor.Monitor, tick int64) (float64, error) {
	ex, err := expr.Parse(m.Expression)
	if err != nil {
		return 0, err
	}
	v, _, err := expr.MonitorValue(ctx, ex, exprstore.Source(e.st), tick, int(m.BackwardMinutes()))
	return v, err
}
