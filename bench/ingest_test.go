package bench_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the raw baseline's driver, as the store's

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// throwRows describes the generated input: lines name\tvalue\ttime over
// 100 series, one point every 4 s per series, all within the 24 h
// back-fill window (so the server keeps every one).
type throwRows struct {
	n, series int
	first     int64
}

func (r throwRows) row(i int) (series int, t int64, v float64) {
	perSeries := (r.n + r.series - 1) / r.series
	step := max(int64(86000/max(perSeries, 1)), 1)
	return i % r.series, r.first + 200 + int64(i/r.series)*step, float64(i)
}

// writeFile writes the rows as throw's input.
func (r throwRows) writeFile(tb testing.TB, path string) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	buf := make([]byte, 0, 64)
	for i := range r.n {
		s, t, v := r.row(i)
		buf = append(buf[:0], "custom.throw.m"...)
		buf = strconv.AppendInt(buf, int64(s), 10)
		buf = append(buf, '\t')
		buf = strconv.AppendFloat(buf, v, 'g', -1, 64)
		buf = append(buf, '\t')
		buf = strconv.AppendInt(buf, t, 10)
		buf = append(buf, '\n')
		w.Write(buf)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// rawInsert is the baseline: the same rows, in the same order, inserted
// into a bare WITHOUT ROWID table (series id, time, value) with a 64 MB
// page cache, in one transaction, with one prepared single-row INSERT
// (multi-row statements were measured no faster on modernc SQLite), with
// the store's journal settings (WAL, synchronous=NORMAL). It returns the
// time taken.
func rawInsert(tb testing.TB, dir string, r throwRows) time.Duration {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "raw.db")+
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-65536)")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE points (series_id INTEGER NOT NULL, time INTEGER NOT NULL, value REAL NOT NULL,
		PRIMARY KEY (series_id, time)) WITHOUT ROWID`); err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	tx, err := db.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	stmt, err := tx.Prepare(`INSERT INTO points (series_id, time, value) VALUES (?, ?, ?)`)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range r.n {
		s, t, v := r.row(i)
		if _, err := stmt.Exec(s+1, t, v); err != nil {
			tb.Fatal(err)
		}
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	return time.Since(start)
}

// BenchmarkThrowServeVsRawInsert throws 2,000,000 points with a real `mkr
// throw` process to a real `mkr serve` process (defaults: 5,000 points per
// POST, 4 in flight), and in the same run inserts the same rows raw (see
// rawInsert). It reports both times and their ratio (goal: ≤ 2), and
// serve's peak RSS. MKR_BENCH_THROW_POINTS changes the count.
func BenchmarkThrowServeVsRawInsert(b *testing.B) {
	bin := cmdtest.Binary(b)
	n := 2_000_000
	if v, err := strconv.Atoi(os.Getenv("MKR_BENCH_THROW_POINTS")); err == nil && v > 0 {
		n = v
	}
	rows := throwRows{n: n, series: 100, first: time.Now().Add(-24 * time.Hour).Unix()}
	input := filepath.Join(b.TempDir(), "points.tsv")
	rows.writeFile(b, input)
	b.ResetTimer()
	var throwTime, rawTime time.Duration
	var servePeak int64
	for range b.N {
		b.StopTimer()
		e := cmdtest.New(b)
		id, err := e.Store().CreateHost(context.Background(), store.NewHost{Name: "bench", Status: "working"})
		if err != nil {
			b.Fatal(err)
		}
		srv := startServe(b, bin, e.ProcEnv())
		cmd := exec.Command(bin, "throw", "--host", id)
		cmd.Env = append(e.ProcEnv(), "MACKEREL_APIBASE="+srv.base)
		in, err := os.Open(input)
		if err != nil {
			b.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd.Stdin, cmd.Stderr = in, &stderr
		b.StartTimer()
		start := time.Now()
		err = cmd.Run()
		elapsed := time.Since(start)
		b.StopTimer()
		in.Close()
		servePeak = max(servePeak, srv.stop(b))
		if want := fmt.Sprintf("thrown %d values to %s\n", n, id); err != nil || !strings.HasSuffix(stderr.String(), want) {
			b.Fatalf("mkr throw: %v\n%s", err, stderr.String())
		}
		if got, err := e.Store().CountPoints(context.Background()); err != nil || got != int64(n) {
			b.Fatalf("stored %d points (%v), want %d", got, err, n)
		}
		raw := rawInsert(b, b.TempDir(), rows)
		throwTime += elapsed
		rawTime += raw
		b.Logf("throw through serve %.2f s, raw insert %.2f s: %.2f×", elapsed.Seconds(), raw.Seconds(), elapsed.Seconds()/raw.Seconds())
		b.StartTimer()
	}
	b.ReportMetric(throwTime.Seconds()/float64(b.N), "throw-s")
	b.ReportMetric(rawTime.Seconds()/float64(b.N), "raw-s")
	b.ReportMetric(throwTime.Seconds()/rawTime.Seconds(), "ratio")
	b.ReportMetric(float64(n*b.N)/throwTime.Seconds(), "throw-points/s")
	b.ReportMetric(float64(servePeak), "serve-peak-RSS-KiB")
}
