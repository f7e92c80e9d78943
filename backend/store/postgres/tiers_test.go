package postgres_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/postgres"
	"github.com/mkr-dev/mkr/backend/store/postgres/pgtest"
	"github.com/mkr-dev/mkr/backend/store/storetest"
)

// Points written under migration 0002's plain points table survive 0003,
// which makes it partitioned by day: every row is read back, the recent
// ones from their day's partition (moved out of the default one when the
// store created it), and they seal like any other.
func TestMigrationKeepsPlainPoints(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	postgres.MigrateOnlyTo(t, dsn, 2)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// A series with a point a minute over the last 5 days (before the
	// store's clock, Epoch), written as 0002's mkr wrote them.
	now := storetest.Epoch.Unix()
	var want []store.Point
	for at := now - 5*store.Day; at <= now; at += 60 {
		want = append(want, store.Point{Time: at, Value: float64(at%1000) / 8})
	}
	var id int64
	if err := conn.QueryRow(ctx, `INSERT INTO series (kind, owner, name) VALUES ('service', 'blog', 'custom.old') RETURNING id`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	for _, p := range want {
		if _, err := conn.Exec(ctx, `INSERT INTO points (series_id, time, value) VALUES ($1, $2, $3)`, id, p.Time, p.Value); err != nil {
			t.Fatal(err)
		}
	}

	clock := storetest.NewClock(storetest.Epoch)
	st := openStore(t, dsn, clock.Now)
	key := store.ServiceSeries("blog", "custom.old")
	got, err := st.Points(ctx, key, 0, now)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("after 0003: %d points, %v; want the %d written under 0002", len(got), err, len(want))
	}
	var inToday, inDefault int
	today := now / store.Day
	if err := conn.QueryRow(ctx, fmt.Sprintf(`SELECT (SELECT count(*) FROM points_d%d), (SELECT count(*) FROM points_default)`, today)).
		Scan(&inToday, &inDefault); err != nil {
		t.Fatal(err)
	}
	if wantToday := int(now%store.Day)/60 + 1; inToday != wantToday {
		t.Errorf("today's partition holds %d rows, want %d (moved from the default partition)", inToday, wantToday)
	}
	if inDefault == 0 {
		t.Errorf("the default partition is empty; the days before the partitioned ones should be there")
	}
	if _, err := st.Compact(ctx, store.CompactOptions{}); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Points(ctx, key, 0, now); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("after sealing: %d points, %v; want %d", len(got), err, len(want))
	}
	if n, err := st.CountPoints(ctx); err != nil || n != int64(len(want)) {
		t.Errorf("CountPoints = %d, %v; want %d", n, err, len(want))
	}
}

// Two replicas sealing at once, while posts keep arriving on both (hot
// points, and late ones for days being sealed): no point is lost or
// doubled, every read sees the last value posted, and sealed days' rows
// are gone with their partitions.
func TestReplicasSealConcurrently(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	clock := storetest.NewClock(storetest.Epoch)
	a, b := openStore(t, dsn, clock.Now), openStore(t, dsn, clock.Now)
	hostID, err := createHost(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	now := storetest.Epoch.Unix()
	day := now / store.Day
	// 12 series × 4 days of minutes, days -4..-1 before Epoch's.
	want := map[store.SeriesKey]map[int64]float64{}
	var seed []store.SeriesPoint
	for i := range 12 {
		k := store.HostSeries(hostID, fmt.Sprintf("custom.seal.m%02d", i))
		want[k] = map[int64]float64{}
		for at := (day - 4) * store.Day; at < day*store.Day; at += 60 {
			seed = append(seed, store.SeriesPoint{Key: k, Point: store.Point{Time: at, Value: float64(i)}})
			want[k][at] = float64(i)
		}
	}
	if err := a.InsertPoints(ctx, seed); err != nil {
		t.Fatal(err)
	}
	// Two days later: days -4..+1 are due; partitions of -2 and -1 exist.
	clock.Advance(2 * 24 * time.Hour)

	var wg sync.WaitGroup
	errs := make(chan error, 8)
	results := make([]store.CompactResult, 2)
	for i, st := range []*postgres.Store{a, b} {
		wg.Go(func() {
			for {
				res, err := st.Compact(ctx, store.CompactOptions{BatchPoints: 1500})
				if err != nil {
					errs <- fmt.Errorf("replica %d: Compact: %w", i, err)
					return
				}
				results[i].SealedPoints += res.SealedPoints
				results[i].SealedBlocks += res.SealedBlocks
				if res.Done {
					return
				}
			}
		})
	}
	// Posts meanwhile, alternating replicas: overwrites of old points
	// (late rows for days being sealed) and new points today.
	posted := 0
	wg.Go(func() {
		for n := range 40 {
			st := []*postgres.Store{a, b}[n%2]
			k := store.HostSeries(hostID, fmt.Sprintf("custom.seal.m%02d", n%12))
			old := (day-4)*store.Day + int64(n)*3600
			fresh := (day+2)*store.Day + int64(n)*60
			if err := st.InsertPoints(ctx, []store.SeriesPoint{
				{Key: k, Point: store.Point{Time: old, Value: 1000 + float64(n)}},
				{Key: k, Point: store.Point{Time: fresh, Value: -float64(n)}},
			}); err != nil {
				errs <- fmt.Errorf("post %d: %w", n, err)
				return
			}
			want[k][old] = 1000 + float64(n)
			want[k][fresh] = -float64(n)
			posted++
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// Whatever the posts left as late rows, a last run merges.
	if _, err := a.Compact(ctx, store.CompactOptions{}); err != nil {
		t.Fatal(err)
	}
	if sealed := results[0].SealedPoints + results[1].SealedPoints; sealed < int64(len(seed)) {
		t.Errorf("the replicas sealed %d points between them, want at least the %d seeded", sealed, len(seed))
	}
	if blocks := results[0].SealedBlocks + results[1].SealedBlocks; blocks < 48 {
		t.Errorf("the replicas wrote %d blocks between them, want at least 48", blocks)
	}
	total := 0
	for k, points := range want {
		total += len(points)
		got, err := b.Points(ctx, k, 0, (day+3)*store.Day)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(points) {
			t.Errorf("%s: %d points, want %d", k.Name, len(got), len(points))
		}
		for _, p := range got {
			if v, ok := points[p.Time]; !ok || v != p.Value {
				t.Errorf("%s at %d: %v, want %v (posted: %v)", k.Name, p.Time, p.Value, v, ok)
				break
			}
		}
	}
	if n, err := a.CountPoints(ctx); err != nil || n != int64(total) {
		t.Errorf("CountPoints = %d, %v; want %d (none lost or doubled)", n, err, total)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var parts, sealing, late int
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM pg_inherits WHERE inhparent = 'points'::regclass
			AND inhrelid::regclass::text ~ '^points_d[0-9]+$' AND substring(inhrelid::regclass::text from 9)::bigint <= $1),
		(SELECT count(*) FROM sealing_days), (SELECT count(*) FROM late_points)`, day).Scan(&parts, &sealing, &late); err != nil {
		t.Fatal(err)
	}
	if parts != 0 || sealing != 0 || late != 0 {
		t.Errorf("after sealing: %d partitions of sealed days, %d days mid-seal, %d late rows; want none", parts, sealing, late)
	}
	if posted != 40 {
		t.Errorf("%d posts, want 40", posted)
	}
}

// createHost makes a host to post for.
func createHost(ctx context.Context, st *postgres.Store) (string, error) {
	return st.CreateHost(ctx, store.NewHost{Name: "web01", Status: "working"})
}
