package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/chunk/chunktest"
	"github.com/mkr-dev/mkr/backend/store/postgres/pgtest"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
	"github.com/mkr-dev/mkr/backend/store/storetest"
)

// The time-series figures of PostgreSQL, each beside the same measure on
// SQLite in the same run (docs/testing.md; skipped without a DSN):
//
//	go test ./backend/store/postgres -run '^$' -bench Tier -benchtime 1x
//
// (BytesPerPoint and RangeRead seed once per engine; Ingest takes the
// usual -benchtime.)

// benchEngine opens a fresh store of one engine and says how many bytes
// its time-series tables take.
type benchEngine struct {
	name string
	open func(b *testing.B, now func() time.Time) (store.Store, func() int64)
}

func benchEngines() []benchEngine {
	return []benchEngine{
		{"sqlite", func(b *testing.B, now func() time.Time) (store.Store, func() int64) {
			path := filepath.Join(b.TempDir(), "bench.db")
			st, err := sqlite.Open(context.Background(), path, store.Options{Now: now})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			return st, func() int64 { return sqliteBytes(b, path) }
		}},
		{"postgres", func(b *testing.B, now func() time.Time) (store.Store, func() int64) {
			dsn := pgtest.DSN(b)
			st := openStore(b, dsn, now)
			return st, func() int64 { return postgresBytes(b, dsn) }
		}},
	}
}

// sqliteBytes is the database file's size less its free pages (SQLite
// keeps them for reuse; the file does not shrink without VACUUM). The
// time series share the file with the rest, which is small here.
func sqliteBytes(b *testing.B, path string) int64 {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var pages, free, size int64
	for q, v := range map[string]*int64{"page_count": &pages, "freelist_count": &free, "page_size": &size} {
		if err := db.QueryRow("PRAGMA " + q).Scan(v); err != nil {
			b.Fatal(err)
		}
	}
	return (pages - free) * size
}

// postgresBytes sums pg_total_relation_size (heap, TOAST and indexes) over
// the time-series tables: every partition of points, late_points, blocks
// and series.
func postgresBytes(b *testing.B, dsn string) int64 {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		b.Fatal(err)
	}
	var n int64
	err = conn.QueryRow(ctx, `SELECT sum(pg_total_relation_size(relid)) FROM (
		SELECT relid FROM pg_partition_tree('points') UNION ALL
		SELECT 'late_points'::regclass UNION ALL SELECT 'blocks'::regclass UNION ALL SELECT 'series'::regclass) t`).Scan(&n)
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// benchSeed stores series' points of chunktest's days [0, days) of the
// year starting at start as they would arrive: each day posted on its
// day, with a Compact at its start (as serve's loop runs), then a last
// Compact two days after. It returns how many points it stored.
func benchSeed(b *testing.B, st store.Store, clock *storetest.Clock, host string, series, days int, start int64) int {
	ctx := context.Background()
	total := 0
	batch := make([]store.SeriesPoint, 0, 5000)
	flush := func() {
		if err := st.InsertPoints(ctx, batch); err != nil {
			b.Fatal(err)
		}
		total += len(batch)
		batch = batch[:0]
	}
	compact := func() {
		if _, err := st.Compact(ctx, store.CompactOptions{Retention: -1}); err != nil {
			b.Fatal(err)
		}
	}
	for d := range days {
		clock.Set(time.Unix(start+int64(d)*store.Day, 0))
		compact()
		for i := range series {
			k := store.HostSeries(host, fmt.Sprintf("custom.bench.s%04d", i))
			for _, p := range chunktest.Day(i, d, start) {
				batch = append(batch, store.SeriesPoint{Key: k, Point: p})
				if len(batch) == cap(batch) {
					flush()
				}
			}
		}
		if len(batch) > 0 {
			flush()
		}
	}
	clock.Set(time.Unix(start+int64(days+2)*store.Day, 0))
	compact()
	return total
}

// BenchmarkTierBytesPerPoint: 100 series of chunktest's mix, 7 days each,
// posted day by day and sealed; bytes of the time-series tables per point
// (ns/op is the whole seeding, posts and seals).
func BenchmarkTierBytesPerPoint(b *testing.B) {
	const series, days = 100, 7
	for _, e := range benchEngines() {
		b.Run(e.name, func(b *testing.B) {
			ctx := context.Background()
			clock := storetest.NewClock(storetest.Epoch)
			st, size := e.open(b, clock.Now)
			host, err := st.CreateHost(ctx, store.NewHost{Name: "bench", Status: "working"})
			if err != nil {
				b.Fatal(err)
			}
			start := storetest.Epoch.Unix() / store.Day * store.Day
			b.ResetTimer()
			n := benchSeed(b, st, clock, host, series, days, start)
			b.StopTimer()
			if got, err := st.CountPoints(ctx); err != nil || got != int64(n) {
				b.Fatalf("CountPoints = %d, %v; want %d", got, err, n)
			}
			b.ReportMetric(float64(size())/float64(n), "bytes/point")
			b.ReportMetric(float64(n), "points")
		})
	}
}

// BenchmarkTierRangeRead: one series of 460 days of minutes, sealed; Points over its last 1, 30 and 460 days, and the 1-hour
// Rollups over 460 days (what a long-range API read returns).
func BenchmarkTierRangeRead(b *testing.B) {
	const days = 460
	for _, e := range benchEngines() {
		b.Run(e.name, func(b *testing.B) {
			ctx := context.Background()
			clock := storetest.NewClock(storetest.Epoch)
			st, _ := e.open(b, clock.Now)
			host, err := st.CreateHost(ctx, store.NewHost{Name: "bench", Status: "working"})
			if err != nil {
				b.Fatal(err)
			}
			start := storetest.Epoch.Unix() / store.Day * store.Day
			benchSeed(b, st, clock, host, 1, days, start)
			end := start + days*store.Day
			k := store.HostSeries(host, "custom.bench.s0000")
			for _, span := range []int{1, 30, 460} {
				b.Run(fmt.Sprintf("points-%dd", span), func(b *testing.B) {
					var n int
					for range b.N {
						pts, err := st.Points(ctx, k, end-int64(span)*store.Day, end)
						if err != nil {
							b.Fatal(err)
						}
						n = len(pts)
					}
					b.ReportMetric(float64(n), "points/read")
				})
			}
			b.Run("rollup1h-460d", func(b *testing.B) {
				for range b.N {
					if _, err := st.Rollups(ctx, k, end-days*store.Day, end, store.Step1h); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkTierIngest: one op is one request of 50,000 new points over 100
// series of one host, in the hot tier. SQLite streams into its group
// committer; PostgreSQL through COPY into staging (InsertPointStream) or as
// multi-row unnest upserts (InsertPointsSince).
func BenchmarkTierIngest(b *testing.B) {
	const per, nseries = 50_000, 100
	type mode struct {
		name   string
		engine int
		stream bool
	}
	engines := benchEngines()
	for _, m := range []mode{{"sqlite-stream", 0, true}, {"postgres-copy", 1, true}, {"postgres-upsert", 1, false}} {
		b.Run(m.name, func(b *testing.B) {
			ctx := context.Background()
			clock := storetest.NewClock(storetest.Epoch)
			st, _ := engines[m.engine].open(b, clock.Now)
			host, err := st.CreateHost(ctx, store.NewHost{Name: "bench", Status: "working"})
			if err != nil {
				b.Fatal(err)
			}
			keys := make([]store.SeriesKey, nseries)
			for i := range keys {
				keys[i] = store.HostSeries(host, fmt.Sprintf("custom.bench.m%d", i))
			}
			batch := make([]store.SeriesPoint, per)
			t0 := storetest.Epoch.Unix() - 20*3600 // inside today's and yesterday's partitions
			b.ResetTimer()
			for n := range b.N {
				for i := range batch {
					seq := int64(i)
					// Each op overwrites a fresh second of each minute.
					batch[i] = store.SeriesPoint{Key: keys[seq%nseries], Point: store.Point{Time: t0 + seq/nseries*60 + int64(n%60), Value: float64(seq)}}
				}
				var err error
				if m.stream {
					_, err = store.InsertStream(ctx, st, store.NewSliceStream(batch), 0)
				} else {
					_, err = st.InsertPointsSince(ctx, batch, 0)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N*per)/b.Elapsed().Seconds(), "points/s")
		})
	}
}
