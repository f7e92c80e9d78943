package backend

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

// maxLatestPairs bounds GET /tsdb/latest (mkr fetch sends at most 100
// hosts per request) and keeps the query within SQLite's variable limit.
const maxLatestPairs = 10000

// timeRange reads from/to (epoch seconds); to defaults to now, from to 0.
func (b *Backend) timeRange(r *http.Request) (int64, int64, error) {
	q := r.URL.Query()
	parse := func(key string, def int64) (int64, error) {
		v := q.Get(key)
		if v == "" {
			return def, nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, badRequest("%s must be an epoch in seconds, not %q.", key, v)
		}
		return n, nil
	}
	from, err := parse("from", 0)
	if err != nil {
		return 0, 0, err
	}
	to, err := parse("to", b.store.Now().Unix())
	if err != nil {
		return 0, 0, err
	}
	if from > to {
		return 0, 0, badRequest("from must not be after to.")
	}
	return from, to, nil
}

// Reads choose their resolution by the requested range, as the hosted API
// does (long ranges return averaged points): raw points up to
// rawReadSpan, 5-minute averages up to fiveMinuteReadSpan, 1-hour
// averages beyond. Each averaged point is a bucket's mean at the bucket's
// start. The span bounds keep an answer under ~9,000 points (a month of
// 5-minute buckets), and a day's graph raw.
const (
	rawReadSpan        = 25 * time.Hour
	fiveMinuteReadSpan = 31 * 24 * time.Hour
)

// readStep returns the rollup step of a read (0: raw points) from its
// range and the resolution parameter, an mkr extension: "raw", "5m" or
// "1h" ask for that resolution whatever the range; "" or "auto" let the
// range decide.
func readStep(resolution string, from, to int64) (int64, error) {
	switch resolution {
	case "", "auto":
	case "raw":
		return 0, nil
	case "5m":
		return store.Step5m, nil
	case "1h":
		return store.Step1h, nil
	default:
		return 0, badRequest("resolution must be raw, 5m, 1h or auto, not %q.", resolution)
	}
	// Unsigned: to-from may not fit an int64 (from far before 1970).
	switch span := uint64(to) - uint64(from); {
	case span <= uint64(rawReadSpan/time.Second):
		return 0, nil
	case span <= uint64(fiveMinuteReadSpan/time.Second):
		return store.Step5m, nil
	}
	return store.Step1h, nil
}

func (b *Backend) writePoints(w http.ResponseWriter, r *http.Request, key store.SeriesKey) error {
	if key.Name == "" {
		return badRequest("name is required.")
	}
	from, to, err := b.timeRange(r)
	if err != nil {
		return err
	}
	step, err := readStep(r.URL.Query().Get("resolution"), from, to)
	if err != nil {
		return err
	}
	var out []client.MetricValue
	if step == 0 {
		var points []store.Point
		points, err = b.store.Points(r.Context(), key, from, to)
		out = make([]client.MetricValue, len(points))
		for i, p := range points {
			out[i] = client.MetricValue{Time: p.Time, Value: p.Value}
		}
	} else {
		var buckets []store.Rollup
		buckets, err = b.store.Rollups(r.Context(), key, from, to, step)
		out = make([]client.MetricValue, len(buckets))
		for i, r := range buckets {
			out[i] = client.MetricValue{Time: r.Start, Value: r.Mean()}
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "Metric not found: %s.", key.Name)
	}
	if err != nil {
		return err // a database failure is a 500, not a missing metric
	}
	writeJSON(w, http.StatusOK, map[string]any{"metrics": out})
	return nil
}

func (b *Backend) getHostMetrics(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("hostId")
	if err := b.store.HostExists(r.Context(), id); err != nil {
		return err
	}
	return b.writePoints(w, r, store.HostSeries(id, r.URL.Query().Get("name")))
}

func (b *Backend) getServiceMetrics(w http.ResponseWriter, r *http.Request) error {
	svc := r.PathValue("service")
	if _, err := b.store.GetService(r.Context(), svc); err != nil {
		return err
	}
	return b.writePoints(w, r, store.ServiceSeries(svc, r.URL.Query().Get("name")))
}

// latestMetrics answers GET /tsdb/latest: every requested host × name pair,
// null where there is no data.
func (b *Backend) latestMetrics(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	hosts, names := q["hostId"], q["name"]
	if len(hosts) == 0 || len(names) == 0 {
		return badRequest("hostId and name are required.")
	}
	if len(hosts)*len(names) > maxLatestPairs {
		return badRequest("Too many hostId × name pairs (%d): at most %d per request.", len(hosts)*len(names), maxLatestPairs)
	}
	latest, err := b.store.LatestPoints(r.Context(), "host", hosts, names)
	if err != nil {
		return err
	}
	out := make(client.LatestMetricValues, len(hosts))
	for _, h := range hosts {
		row := make(map[string]*client.MetricValue, len(names))
		for _, n := range names {
			if p, ok := latest[h][n]; ok {
				row[n] = &client.MetricValue{Time: p.Time, Value: p.Value}
			} else {
				row[n] = nil
			}
		}
		out[h] = row
	}
	writeJSON(w, http.StatusOK, map[string]any{"tsdbLatest": out})
	return nil
}

func (b *Backend) writeMetricNames(w http.ResponseWriter, r *http.Request, kind, owner string) error {
	names, err := b.store.MetricNames(r.Context(), kind, owner)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string][]string{"names": names})
	return nil
}

func (b *Backend) serviceMetricNames(w http.ResponseWriter, r *http.Request) error {
	svc := r.PathValue("service")
	if _, err := b.store.GetService(r.Context(), svc); err != nil {
		return err
	}
	return b.writeMetricNames(w, r, "service", svc)
}
