//go:build unix

package sqlite_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"path/filepath"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/chunk/chunktest"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
	"github.com/mkr-dev/mkr/backend/store/storetest"
)

// The time-series tiers on SQLite, each figure beside the rows-only model
// (every point a row of `points`, what the store kept before sealing)
// measured in the same run:
//
//	go test ./backend/store/sqlite -run '^$' -bench 'Tier' -benchtime 1x
//
// Both seed once per run; ns/op is not a figure of theirs except in the
// range reads, which also report cpu-ns/op (the process's CPU time, from
// getrusage, hence unix only): on a shared machine wall time follows the
// load.

// tierSampleDays is how many days of the year BenchmarkTierBytesPerPoint
// stores per series (spread over the year, differing between series); 365
// stores the whole year (525 M points: hours, and about 2 GB on disk).
var tierSampleDays = flag.Int("sqlite.tierdays", 2, "BenchmarkTierBytesPerPoint: days per series, of 365")

const (
	tierBenchSeries = 1000
	tierBenchStart  = 1704067200 // 2024-01-01T00:00:00Z, a UTC midnight
)

// tierSampleDay is the k-th sampled day of series: k×(365/n) days on from
// a per-series offset, so every part of the year is sampled.
func tierSampleDay(series, k, n int) int {
	if n >= chunktest.DaysPerYear {
		return k
	}
	return (series*37 + k*chunktest.DaysPerYear/n) % chunktest.DaysPerYear
}

// BenchmarkTierBytesPerPoint: a year of one-minute data of 1,000 series of
// chunktest's mix, sampled (-sqlite.tierdays days a series, 2 by
// default), stored as rows, then sealed. It reports the bytes per point of
// the whole database (file size after a checkpoint and VACUUM: blocks with
// their rollups and indexes, the series dictionary, the schema) against
// the same points as rows, and the year's figure extrapolated from the
// sample: what grows with days (blocks, rows) per point as measured, plus
// what does not (the series dictionary and the rest of the schema) spread
// over a year of points instead of the sample's.
func BenchmarkTierBytesPerPoint(b *testing.B) {
	ctx := context.Background()
	days := min(max(*tierSampleDays, 1), chunktest.DaysPerYear)
	clock := storetest.NewClock(time.Unix(tierBenchStart+int64(chunktest.DaysPerYear+3)*store.Day, 0))
	path := filepath.Join(b.TempDir(), "tiers.db")
	st := openStore(b, path, clock.Now)
	host := tsMustHost(b, st, "web01")
	points := 0
	batch := make([]store.SeriesPoint, 0, tsBatch)
	flush := func() {
		if err := st.InsertPoints(ctx, batch); err != nil {
			b.Fatal(err)
		}
		points += len(batch)
		batch = batch[:0]
	}
	for series := range tierBenchSeries {
		k := store.HostSeries(host, fmt.Sprintf("custom.bench.%s.s%04d", chunktest.ShapeOf(series), series))
		for i := range days {
			for _, p := range chunktest.Day(series, tierSampleDay(series, i, days), tierBenchStart) {
				batch = append(batch, store.SeriesPoint{Key: k, Point: p})
				if len(batch) == cap(batch) {
					flush()
				}
			}
		}
	}
	flush()
	rows := tierDBBytes(b, path)

	b.ResetTimer()
	for range b.N {
		if _, err := st.Compact(ctx, store.CompactOptions{Retention: -1}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if n, err := st.CountPoints(ctx); err != nil || n != int64(points) {
		b.Fatalf("CountPoints = %d, %v; want %d", n, err, points)
	}
	sealed := tierDBBytes(b, path)
	perYear := float64(points) * float64(chunktest.DaysPerYear) / float64(days)
	extrapolate := func(s tierSize) float64 {
		return float64(s.growing)/float64(points) + float64(s.total-s.growing)/perYear
	}
	b.ReportMetric(float64(sealed.total)/float64(points), "bytes/point")
	b.ReportMetric(float64(rows.total)/float64(points), "rows-bytes/point")
	b.ReportMetric(extrapolate(sealed), "year-bytes/point")
	b.ReportMetric(extrapolate(rows), "year-rows-bytes/point")
	b.ReportMetric(float64(points), "points")
	b.Logf("%d series × %d days: %d points; rows %s; sealed %s", tierBenchSeries, days, points, rows, sealed)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var data, r5, r1 float64
	if err := db.QueryRowContext(ctx, `SELECT sum(length(data)), sum(length(rollup_5m)), sum(length(rollup_1h)) FROM blocks`).Scan(&data, &r5, &r1); err != nil {
		b.Fatal(err)
	}
	b.Logf("bytes per point in blocks: points %.2f, 5-minute rollups %.2f, 1-hour rollups %.2f", data/float64(points), r5/float64(points), r1/float64(points))
	var payload, unused, pages float64
	if err := db.QueryRowContext(ctx, `SELECT sum(payload), sum(unused), sum(pgsize) FROM dbstat WHERE name = 'blocks'`).Scan(&payload, &unused, &pages); err != nil {
		b.Fatal(err)
	}
	b.Logf("the blocks table per point: %.2f bytes of pages, %.2f of payload, %.2f unused", pages/float64(points), payload/float64(points), unused/float64(points))
}

// tierSize is a database's size and its parts: growing is what grows with
// the days stored (points, blocks and their indexes), total the file.
type tierSize struct {
	total, growing int64
	tables         map[string]int64
}

func (s tierSize) String() string {
	names := make([]string, 0, len(s.tables))
	for n := range s.tables {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return s.tables[names[i]] > s.tables[names[j]] })
	out := fmt.Sprintf("%.1f MiB:", float64(s.total)/(1<<20))
	for i, n := range names {
		if i == 5 {
			break
		}
		out += fmt.Sprintf(" %s %.1f MiB", n, float64(s.tables[n])/(1<<20))
	}
	return out
}

// tierDBBytes checkpoints and vacuums the database at path (so that the
// file holds no free pages), and measures it with the dbstat table.
func tierDBBytes(b *testing.B, path string) tierSize {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{`PRAGMA wal_checkpoint(TRUNCATE)`, `VACUUM`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
		if _, err := db.Exec(q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	s := tierSize{tables: map[string]int64{}}
	var pages, pageSize int64
	if err := db.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		b.Fatal(err)
	}
	if err := db.QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil {
		b.Fatal(err)
	}
	s.total = pages * pageSize
	// dbstat names each table and index; its "name" column is the b-tree.
	r, err := db.Query(`SELECT d.name, coalesce(m.tbl_name, d.name), sum(d.pgsize) FROM dbstat d
		LEFT JOIN sqlite_schema m ON m.name = d.name GROUP BY d.name`)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	for r.Next() {
		var name, table string
		var n int64
		if err := r.Scan(&name, &table, &n); err != nil {
			b.Fatal(err)
		}
		s.tables[name] = n
		if table == "points" || table == "blocks" {
			s.growing += n
		}
	}
	if err := r.Err(); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkTierRangeRead: one series (chunktest's CPU percentage, full
// floats: the shape that compresses worst) of 460 days of one-minute
// points, read through the store over its last 1, 30 and 460 days, at the
// resolution GET …/metrics picks (raw up to 25 h, 5-minute rollups up to
// 31 days, 1-hour beyond) and raw, from the sealed store ("tiers": all
// but the last two days are blocks) and from the same points as rows
// ("rows"). ns/op is one read.
func BenchmarkTierRangeRead(b *testing.B) {
	const days, series = 460, 5
	ctx := context.Background()
	now := time.Unix(tierBenchStart+days*store.Day-1, 0) // the last second of the last day
	clock := storetest.NewClock(now)
	stores := map[string]*sqlite.Store{}
	keys := map[string]store.SeriesKey{}
	for _, name := range []string{"tiers", "rows"} {
		st := openStore(b, filepath.Join(b.TempDir(), name+".db"), clock.Now)
		key := store.HostSeries(tsMustHost(b, st, "web01"), "custom.bench.cpu")
		keys[name] = key
		batch := make([]store.SeriesPoint, 0, tsBatch)
		for day := range days {
			for _, p := range chunktest.Day(series, day, tierBenchStart) {
				batch = append(batch, store.SeriesPoint{Key: key, Point: p})
				if len(batch) == cap(batch) {
					if err := st.InsertPoints(ctx, batch); err != nil {
						b.Fatal(err)
					}
					batch = batch[:0]
				}
			}
		}
		if err := st.InsertPoints(ctx, batch); err != nil {
			b.Fatal(err)
		}
		if name == "tiers" {
			if _, err := st.Compact(ctx, store.CompactOptions{Retention: -1}); err != nil {
				b.Fatal(err)
			}
		}
		stores[name] = st
	}
	end := now.Unix()
	for _, span := range []int64{1, 30, 460} {
		from := end - span*store.Day + 1
		auto := int64(0)
		switch {
		case span*store.Day <= 25*3600:
		case span <= 31:
			auto = store.Step5m
		default:
			auto = store.Step1h
		}
		// The resolution a GET picks and, for the long ranges, raw asked.
		steps := []int64{auto}
		if auto != 0 {
			steps = append(steps, 0)
		}
		for _, step := range steps {
			res := map[int64]string{0: "raw", store.Step5m: "5m", store.Step1h: "1h"}[step]
			for _, st := range []string{"tiers", "rows"} {
				b.Run(fmt.Sprintf("%dd/%s/%s", span, res, st), func(b *testing.B) {
					n := 0
					cpu := tierCPU()
					for b.Loop() {
						if step == 0 {
							pts, err := stores[st].Points(ctx, keys[st], from, end)
							if err != nil {
								b.Fatal(err)
							}
							n = len(pts)
						} else {
							rs, err := stores[st].Rollups(ctx, keys[st], from, end, step)
							if err != nil {
								b.Fatal(err)
							}
							n = len(rs)
						}
					}
					b.ReportMetric(float64(n), "values/read")
					b.ReportMetric(float64(tierCPU()-cpu)/float64(b.N), "cpu-ns/op")
				})
			}
		}
	}
}

// tierCPU is the CPU time the process has used, user and system.
func tierCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
