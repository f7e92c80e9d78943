package backend

import (
	"math"
	"net/http"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

// DefaultMaxMetricBodyBytes caps POST /tsdb and /services/<s>/tsdb bodies
// unless Options.MaxMetricBodyBytes says otherwise: 64 MiB, about 850,000
// points of the usual ~75 bytes. Upstream mkr's `throw` sends all its
// input in one POST (200,000 points are ~15 MB), so the general 8 MiB cap
// refused it; 64 MiB takes four times that with room to spare. Memory does
// not grow with it: bodies are decoded as a stream into a spool of 20
// bytes per point that moves to a temporary file past 1 MiB.
const DefaultMaxMetricBodyBytes = 64 << 20

// Metric posts: the body is decoded as a stream and validated point by
// point into a spool (ingest_decode.go, ingest_spool.go); only once the
// whole body is in and valid does the store see it, as a PointStream it
// writes in bounded chunks inside one transaction, shared with other
// posts (the SQLite store's group commit). So a bad point at the end of a
// 60 MB body is a 400 naming it with nothing stored, and a client that
// trickles its body holds a spool, never the database's one writer.

func (b *Backend) postHostMetrics(w http.ResponseWriter, r *http.Request) error {
	return b.ingest(w, r, "")
}

func (b *Backend) postServiceMetrics(w http.ResponseWriter, r *http.Request) error {
	return b.ingest(w, r, r.PathValue("service"))
}

// ingest decodes, validates and stores one metric post, and answers.
func (b *Backend) ingest(w http.ResponseWriter, r *http.Request, service string) error {
	kind := "host"
	if service != "" {
		kind = "service"
	}
	body := readIngestBody(r)
	defer body.release()
	leave, err := b.admitIngest(w, r)
	if err != nil {
		return err
	}
	defer leave()
	sp := newSpool(kind, service)
	defer sp.close()
	dec := &pointDecoder{sp: sp, service: service, latest: b.store.Now().Add(client.MaxMetricTimeAhead).Unix()}
	if !body.whole || !dec.decodeWhole(body.data) {
		if err := dec.decode(body.reader()); err != nil {
			return err
		}
	} else if dec.badErr != nil {
		return dec.badErr
	}
	if err := sp.finish(); err != nil {
		return err // the spool's temporary file failed: a 500
	}
	if sp.Len() == 0 && service != "" {
		// An empty body: still tell the caller about an unknown service.
		if _, err := b.store.GetService(r.Context(), service); err != nil {
			return err
		}
	}
	oldest := int64(math.MinInt64)
	if b.opts.MetricBackfillWindow > 0 {
		oldest = b.store.Now().Add(-b.opts.MetricBackfillWindow).Unix()
	}
	res, err := store.InsertStream(r.Context(), b.store, sp, oldest)
	if err != nil {
		return err
	}
	if res.Stored > 0 {
		b.afterIngestSeries(r.Context(), sp.Series())
	}
	// The hosted API's {"success":true} plus the counts (an addition; see
	// client.PostMetricsResult), so that a client can tell stored from
	// dropped.
	writeJSON(w, http.StatusOK, client.PostMetricsResult{
		Success: true,
		Stored:  &res.Stored,
		Refused: &client.RefusedMetrics{TooOld: res.TooOld, RetiredHost: res.RetiredHost},
	})
	return nil
}
