package backend

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/mkr-dev/mkr/backend/promremote"
	"github.com/mkr-dev/mkr/client"
)

// prometheusRoutes registers Prometheus' remote write (see package
// promremote and the README's "Prometheus remote write").
func (b *Backend) prometheusRoutes() {
	log := &promDropLog{every: time.Minute}
	b.handle("POST /api/v1/write", func(w http.ResponseWriter, r *http.Request) error {
		return b.promWrite(w, r, log)
	}, route{notFound: "Service not found.", ingest: true})
}

// promWrite stores a WriteRequest through the same path as POST /tsdb
// (back-fill window, retired hosts, evaluation on ingest). A body that
// cannot be read is refused whole (4xx, nothing stored); series that map
// to no host or service are dropped and counted, since Prometheus drops a
// whole batch on a 4xx and every other series would be lost with them.
// Success is 204, with the counts in headers.
func (b *Backend) promWrite(w http.ResponseWriter, r *http.Request, log *promDropLog) error {
	raw, err := promremote.ReadBody(r)
	if err != nil {
		return promError(err)
	}
	// The same turns as the API's metric posts (ingest_admission.go):
	// Prometheus retries a 5xx, keeping the samples meanwhile.
	leave, err := b.admitIngest(w, r)
	if err != nil {
		return err
	}
	defer leave()
	series, err := promremote.UnmarshalWriteRequest(raw)
	if err != nil {
		return badRequest("The body is not a remote write WriteRequest (protobuf): %v.", err)
	}
	ctx := r.Context()
	m := &promremote.Mapper{Dir: b.store}
	if svc := r.URL.Query().Get("service"); svc != "" {
		if _, err := b.store.GetService(ctx, svc); err != nil {
			return err // 404 Service not found.
		}
		m.Fallback = svc
	}
	batch, err := m.Points(ctx, series, b.store.Now(), client.MaxMetricTimeAhead)
	if err != nil {
		return err
	}
	oldest := int64(math.MinInt64)
	if b.opts.MetricBackfillWindow > 0 {
		oldest = b.store.Now().Add(-b.opts.MetricBackfillWindow).Unix()
	}
	res, err := b.store.InsertPointsSince(ctx, batch.Points, oldest)
	if err != nil {
		return err
	}
	if res.Stored > 0 {
		b.afterIngest(ctx, batch.Points)
	}
	batch.Dropped[promremote.DroppedTooOld] += res.TooOld
	batch.Dropped[promremote.DroppedRetired] += res.RetiredHost
	log.add(batch.Dropped, batch.Example)
	// Remote write 2.0 names this header; 1.0 senders ignore it.
	w.Header().Set("X-Prometheus-Remote-Write-Samples-Written", strconv.Itoa(res.Stored))
	if dropped := batch.Dropped.String(); dropped != "" {
		w.Header().Set("X-Mkr-Samples-Dropped", dropped)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// promError turns promremote's refusals into API errors.
func promError(err error) error {
	var re *promremote.RequestError
	if errors.As(err, &re) {
		return errorf(re.Status, "%s", re.Message)
	}
	return err
}

// promDropLog logs dropped samples at most once per period, summed since
// the last line: a misconfigured Prometheus sends every few seconds, and
// a line per request would bury everything else in serve's log.
type promDropLog struct {
	every time.Duration

	mu      sync.Mutex
	last    time.Time
	pending promremote.Counts
	example string
}

func (l *promDropLog) add(c promremote.Counts, example string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, v := range c {
		if v > 0 && !k.Routine() {
			if l.pending == nil {
				l.pending = promremote.Counts{}
			}
			l.pending[k] += v
		}
	}
	if l.example == "" {
		l.example = example
	}
	if len(l.pending) == 0 || time.Since(l.last) < l.every {
		return
	}
	slog.Warn("prometheus remote write: samples dropped (see the README's mapping rules)",
		"counts", l.pending.String(), "example", l.example)
	l.last, l.pending, l.example = time.Now(), nil, ""
}
