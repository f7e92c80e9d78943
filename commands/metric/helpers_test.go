package metric_test

// Fixtures of the metric tests (throw, metrics, fetch, metric-names). Every
// run is the real command tree in-process against the embedded backend on
// a temporary SQLite file (cmdtest); only the clock is fixed. Hosts and
// services are seeded straight into the store.

import (
	"context"
	"io"
	"strconv"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// seedHost stores a working host and returns its id.
func seedHost(e *cmdtest.Env, name string) string {
	e.T.Helper()
	id, err := e.Store().CreateHost(context.Background(), store.NewHost{Name: name, Status: "working"})
	if err != nil {
		e.T.Fatalf("creating host %s: %v", name, err)
	}
	return id
}

// countPoints returns how many points the database holds.
func countPoints(e *cmdtest.Env) int64 {
	e.T.Helper()
	n, err := e.Store().CountPoints(context.Background())
	if err != nil {
		e.T.Fatalf("counting points: %v", err)
	}
	return n
}

// points returns a series' points over all time.
func points(e *cmdtest.Env, k store.SeriesKey) []store.Point {
	e.T.Helper()
	p, err := e.Store().Points(context.Background(), k, 0, 1<<62)
	if err != nil {
		e.T.Fatalf("reading %v: %v", k, err)
	}
	return p
}

// writeLines writes n lines "<prefix><i%series> <value> <epoch>" to w,
// spread over the 24 hours before end, and closes w. Values are i, so any
// lost or misplaced point changes the checked sum.
func writeLines(w io.WriteCloser, n, series int, prefix string, end time.Time) error {
	buf := make([]byte, 0, 64*1024)
	first := end.Add(-24 * time.Hour).Unix()
	perSeries := (n + series - 1) / series
	step := max(int64(86000/max(perSeries, 1)), 1)
	for i := 0; i < n; i++ {
		buf = append(buf, prefix...)
		buf = strconv.AppendInt(buf, int64(i%series), 10)
		buf = append(buf, '\t')
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, '\t')
		buf = strconv.AppendInt(buf, first+200+int64(i/series)*step, 10)
		buf = append(buf, '\n')
		if len(buf) > 60*1024 {
			if _, err := w.Write(buf); err != nil {
				w.Close()
				return err
			}
			buf = buf[:0]
		}
	}
	if _, err := w.Write(buf); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
