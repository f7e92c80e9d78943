package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
)

// tsBatch is the batch size of `mkr throw` (its --batch-size default).
const tsBatch = 5000

// BenchmarkTSStoreInsertPoints measures ingest into the store alone: one
// op is one InsertPoints call of 5,000 new points over 100 series of one
// host, as one throw batch would be.
func BenchmarkTSStoreInsertPoints(b *testing.B) {
	ctx := context.Background()
	st := tsNewStore(b)
	h := tsMustHost(b, st, "web01")
	keys := make([]store.SeriesKey, 100)
	for i := range keys {
		keys[i] = store.HostSeries(h, fmt.Sprintf("custom.bench.m%d", i))
	}
	batch := make([]store.SeriesPoint, tsBatch)
	t0 := tsStoreNow.Unix() - 365*86400
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for i := range batch {
			seq := int64(n*tsBatch + i)
			batch[i] = store.SeriesPoint{Key: keys[seq%100], Point: store.Point{Time: t0 + seq/100*60, Value: float64(seq)}}
		}
		if err := st.InsertPoints(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*tsBatch)/b.Elapsed().Seconds(), "points/s")
	if got := tsMustCount(b, st); got != int64(b.N*tsBatch) {
		b.Fatalf("stored %d points, want %d", got, b.N*tsBatch)
	}
}

// tsSeed inserts one-minute points for key over [start, start+n min).
func tsSeed(tb testing.TB, st *sqlite.Store, key store.SeriesKey, start int64, n int) {
	tb.Helper()
	batch := make([]store.SeriesPoint, 0, tsBatch)
	for i := 0; i < n; i++ {
		batch = append(batch, store.SeriesPoint{Key: key, Point: store.Point{Time: start + int64(i)*60, Value: float64(i)}})
		if len(batch) == tsBatch || i == n-1 {
			if err := st.InsertPoints(context.Background(), batch); err != nil {
				tb.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

// BenchmarkTSStoreRangeRead reads one series over the last 1, 30 and 365
// days of one-minute data (525,600 points in all) from a database that
// also holds 2,000 other series (one day each, 2.88 M points), and the
// same 1-day read from a database of two 1-day series. Read time must
// follow the points returned (ns/point flat), not the database size: the
// points table is clustered on (series_id, time).
func BenchmarkTSStoreRangeRead(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	st := tsOpen(b, filepath.Join(dir, "t.db"))
	h := tsMustHost(b, st, "web01")
	const year = 525_600
	end := tsStoreNow.Unix() / 60 * 60
	start := end - (year-1)*60
	target := store.HostSeries(h, "custom.target.value")
	// Other series first, so the target's rows are the last written and
	// its id sorts after them.
	for i := 0; i < 2000; i++ {
		tsSeed(b, st, store.HostSeries(h, fmt.Sprintf("custom.other%04d.value", i)), end-1439*60, 1440)
	}
	tsSeed(b, st, target, start, year)
	if fi, err := os.Stat(filepath.Join(dir, "t.db")); err == nil {
		b.Logf("database: %d points, %.0f MiB (+WAL)", tsMustCount(b, st), float64(fi.Size())/(1<<20))
	}
	// The baseline: the same 1-day read from a database holding nothing
	// but that day.
	alone := tsOpen(b, filepath.Join(dir, "alone.db"))
	tsSeed(b, alone, store.HostSeries(tsMustHost(b, alone, "web01"), "custom.target.value"), end-1439*60, 1440)
	aloneKey := store.HostSeries(tsMustHost(b, alone, "web02"), "custom.target.value")
	tsSeed(b, alone, aloneKey, end-1439*60, 1440)
	cases := []struct {
		name string
		st   *sqlite.Store
		key  store.SeriesKey
		days int
	}{
		{"days=1/db=small", alone, aloneKey, 1},
		{"days=1/db=3.4M-points", st, target, 1},
		{"days=30/db=3.4M-points", st, target, 30},
		{"days=365/db=3.4M-points", st, target, 365},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			days := c.days
			from := end - int64(days*1440-1)*60
			want := days * 1440
			for n := 0; n < b.N; n++ {
				pts, err := c.st.Points(ctx, c.key, from, end)
				if err != nil {
					b.Fatal(err)
				}
				if len(pts) != want {
					b.Fatalf("%d points, want %d", len(pts), want)
				}
			}
			b.ReportMetric(float64(want), "points/op")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*want), "ns/point")
		})
	}
}

// BenchmarkTSStoreSeriesCache measures ingest of known series as an agent
// fleet sends it: each op is one 5,000-point InsertPoints call, one point
// for each of 5,000 distinct series, cycling through 20,000 series (say
// 670 hosts × 30 metrics) that already exist. "warm": the cache holds them
// all (the default bound); "thrashing": it holds 1,000, so cycling evicts
// every id before it is used again and each point pays a lookup; "off":
// no cache. The ratio of warm to thrashing points/s is what a fleet larger
// than the bound costs.
func BenchmarkTSStoreSeriesCache(b *testing.B) {
	const series = 20_000
	for _, c := range []struct {
		name string
		size int
	}{{"warm", 0}, {"thrashing", 1000}, {"off", -1}} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			st := openCached(b, c.size)
			h := tsMustHost(b, st, "web01")
			keys := make([]store.SeriesKey, series)
			for i := range keys {
				keys[i] = store.HostSeries(h, fmt.Sprintf("custom.fleet.m%05d", i))
			}
			batch := make([]store.SeriesPoint, tsBatch)
			t0 := tsStoreNow.Unix() - 365*86400
			post := func(n int) {
				for i := range batch {
					seq := n*tsBatch + i
					batch[i] = store.SeriesPoint{Key: keys[seq%series], Point: store.Point{Time: t0 + int64(seq/series)*60, Value: float64(seq)}}
				}
				if err := st.InsertPoints(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			for n := 0; n < series/tsBatch; n++ { // create every series first
				post(n)
			}
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				post(series/tsBatch + n)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N*tsBatch)/b.Elapsed().Seconds(), "points/s")
			b.ReportMetric(float64(sqlite.SeriesCacheLen(st)), "cached")
		})
	}
}
