package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
)

// The time-series tiers (store.TierStore): sealing moves old rows into
// blocks without changing what any read returns, retention drops whole
// days, rollups answer coarse reads. Clocks start at Epoch (Monday
// 2024-05-06 07:08:09 UTC): with the default 26 h hot window, the days up
// to Saturday 2024-05-04 are sealed and Sunday stays rows.

// tierDay is the start of the UTC day d days before Epoch's.
func tierDay(d int) int64 {
	return (Epoch.Unix()/store.Day - int64(d)) * store.Day
}

// tierShape is a series with every kind of point a seal must keep
// exactly: negative, fractional, huge and tiny values, a gap, and
// sub-minute points.
func tierShape(start int64, minutes int) []store.Point {
	var out []store.Point
	for i := range minutes {
		if i%97 == 13 {
			continue // a gap
		}
		v := math.Sin(float64(i)/30)*100 + float64(i%7)/3
		switch i % 50 {
		case 7:
			v = -v
		case 11:
			v = 1e300
		case 23:
			v = 5e-324
		}
		out = append(out, store.Point{Time: start + int64(i)*60, Value: v})
	}
	return out
}

// tierQuotients is a series of CPU percentages as agents compute them,
// Δbusy×100/Δtotal jiffies: full-precision floats that the sealed tier
// codes as quotients (chunk's ratio coding), with a few negative ones.
func tierQuotients(start int64, minutes int) []store.Point {
	out := make([]store.Point, minutes)
	for i := range out {
		total := int64(5998 + i%5)
		busy := int64(i*37) % total
		if i%211 == 5 {
			busy = -busy
		}
		out[i] = store.Point{Time: start + int64(i)*60 + 7, Value: float64(busy*100) / float64(total)}
	}
	return out
}

// tierSeed stores points for key through InsertPoints (no back-fill
// window), in batches.
func tierSeed(t *testing.T, st store.Store, key store.SeriesKey, points []store.Point) {
	t.Helper()
	for len(points) > 0 {
		n := min(len(points), 5000)
		batch := make([]store.SeriesPoint, n)
		for i, p := range points[:n] {
			batch[i] = store.SeriesPoint{Key: key, Point: p}
		}
		if err := st.InsertPoints(context.Background(), batch); err != nil {
			t.Fatalf("InsertPoints: %v", err)
		}
		points = points[n:]
	}
}

func mustPoints(t *testing.T, st store.Store, k store.SeriesKey, from, to int64) []store.Point {
	t.Helper()
	got, err := st.Points(context.Background(), k, from, to)
	if err != nil {
		t.Fatalf("Points(%v): %v", k, err)
	}
	return got
}

func mustRollups(t *testing.T, st store.Store, k store.SeriesKey, from, to, step int64) []store.Rollup {
	t.Helper()
	got, err := st.Rollups(context.Background(), k, from, to, step)
	if err != nil {
		t.Fatalf("Rollups(%v, %d): %v", k, step, err)
	}
	return got
}

func mustCompact(t *testing.T, st store.Store, opts store.CompactOptions) store.CompactResult {
	t.Helper()
	res, err := st.Compact(context.Background(), opts)
	if err != nil {
		t.Fatalf("Compact: %v", err)
	}
	return res
}

// tierView is everything a reader can see of some series.
type tierView struct {
	Points   map[store.SeriesKey][]store.Point
	Rollups  map[store.SeriesKey][2][]store.Rollup
	Latest   map[string]map[string]store.Point
	Names    []string
	Count    int64
	Midrange []store.Point // a range starting and ending inside days
}

func viewTiers(t *testing.T, st store.Store, host string, keys ...store.SeriesKey) tierView {
	t.Helper()
	ctx := context.Background()
	v := tierView{Points: map[store.SeriesKey][]store.Point{}, Rollups: map[store.SeriesKey][2][]store.Rollup{}}
	from, to := tierDay(10), Epoch.Unix()+3600
	var names []string
	for _, k := range keys {
		v.Points[k] = mustPoints(t, st, k, from, to)
		v.Rollups[k] = [2][]store.Rollup{mustRollups(t, st, k, from, to, store.Step5m), mustRollups(t, st, k, from, to, store.Step1h)}
		names = append(names, k.Name)
	}
	v.Midrange = mustPoints(t, st, keys[0], tierDay(3)+4321, tierDay(1)+777)
	var err error
	if v.Latest, err = st.LatestPoints(ctx, "host", []string{host}, names); err != nil {
		t.Fatalf("LatestPoints: %v", err)
	}
	if v.Names, err = st.MetricNames(ctx, "host", host); err != nil {
		t.Fatalf("MetricNames: %v", err)
	}
	v.Count = mustCount(t, st)
	return v
}

func testTierSealKeepsReads(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	h := mustHost(t, st, "web01")
	hot := store.HostSeries(h, "custom.tier.hot")   // three days up to now
	cold := store.HostSeries(h, "custom.tier.cold") // stopped posting three days ago
	cpu := store.HostSeries(h, "custom.tier.cpu")   // quotients, two days up to now
	tierSeed(t, st, hot, tierShape(tierDay(3), 3*1440+400))
	tierSeed(t, st, cold, tierShape(tierDay(5), 2*1440+30))
	tierSeed(t, st, cpu, tierQuotients(tierDay(2), 2*1440+400))
	before := viewTiers(t, st, h, hot, cold, cpu)
	if len(before.Points[hot]) < 4000 || len(before.Rollups[hot][0]) < 900 {
		t.Fatalf("seeded too little: %d points, %d buckets", len(before.Points[hot]), len(before.Rollups[hot][0]))
	}

	res := mustCompact(t, st, store.CompactOptions{})
	// Sealed: hot's days 3 and 2 before Epoch's, cold's 5, 4 and the
	// start of 3, cpu's 2; Sunday (1 day before) and Monday stay rows.
	wantSealed := int64(0)
	for _, p := range slices.Concat(tierShape(tierDay(3), 3*1440+400), tierShape(tierDay(5), 2*1440+30), tierQuotients(tierDay(2), 2*1440+400)) {
		if p.Time < tierDay(1) {
			wantSealed++
		}
	}
	if res.SealedPoints != wantSealed || res.SealedBlocks != 6 || res.MergedBlocks != 0 || !res.Done || res.ExpiredBlocks != 0 {
		t.Errorf("Compact = %+v, want %d points sealed into 6 blocks, done", res, wantSealed)
	}
	after := viewTiers(t, st, h, hot, cold, cpu)
	if !reflect.DeepEqual(after, before) {
		t.Errorf("reads changed by sealing:\nbefore %s\nafter  %s", summarize(before), summarize(after))
	}

	// Nothing left: a second run seals nothing.
	if res := mustCompact(t, st, store.CompactOptions{}); res.SealedPoints != 0 || res.SealedBlocks != 0 || !res.Done {
		t.Errorf("second Compact = %+v, want nothing sealed", res)
	}
	// A re-post in the hot tier overwrites, sealed or not around it.
	if err := st.InsertPoints(context.Background(), []store.SeriesPoint{sp(hot, tierDay(0)+60, 12345)}); err != nil {
		t.Fatal(err)
	}
	if got := mustPoints(t, st, hot, tierDay(0)+60, tierDay(0)+60); !reflect.DeepEqual(got, []store.Point{{Time: tierDay(0) + 60, Value: 12345}}) {
		t.Errorf("after a re-post: %v", got)
	}

	// Deleting a service's series deletes its blocks too.
	mustService(t, st, "blog")
	svc := store.ServiceSeries("blog", "custom.tier.svc")
	tierSeed(t, st, svc, tierShape(tierDay(4), 60))
	mustCompact(t, st, store.CompactOptions{})
	if n, err := st.DeleteServiceMetrics(context.Background(), "blog", func(string) bool { return true }); err != nil || n != 1 {
		t.Fatalf("DeleteServiceMetrics = %d, %v", n, err)
	}
	if n := mustCount(t, st); n != after.Count {
		t.Errorf("CountPoints after deleting the sealed service series = %d, want %d", n, after.Count)
	}
}

// summarize keeps a failure message readable.
func summarize(v tierView) string {
	out := ""
	for k, p := range v.Points {
		out += fmt.Sprintf("%s: %d points, %d/%d buckets; ", k.Name, len(p), len(v.Rollups[k][0]), len(v.Rollups[k][1]))
	}
	return out + fmt.Sprintf("count %d, names %q, midrange %d, latest %v", v.Count, v.Names, len(v.Midrange), v.Latest)
}

func testTierRepostOverwritesHot(t *testing.T, open Opener) {
	ctx := context.Background()
	st, _ := openAt(t, open)
	h := mustHost(t, st, "web01")
	k := store.HostSeries(h, "custom.tier.repost")
	now := Epoch.Unix()
	if _, err := st.InsertPointsSince(ctx, []store.SeriesPoint{sp(k, now-60, 1), sp(k, now, 2)}, now-86400); err != nil {
		t.Fatal(err)
	}
	if _, err := st.InsertPointsSince(ctx, []store.SeriesPoint{sp(k, now-60, 10)}, now-86400); err != nil {
		t.Fatal(err)
	}
	mustCompact(t, st, store.CompactOptions{})
	want := []store.Point{{Time: now - 60, Value: 10}, {Time: now, Value: 2}}
	if got := mustPoints(t, st, k, 0, now); !reflect.DeepEqual(got, want) {
		t.Errorf("Points = %v, want %v", got, want)
	}
	if n := mustCount(t, st); n != 2 {
		t.Errorf("CountPoints = %d, want 2", n)
	}
}

func testTierLatePointMerges(t *testing.T, open Opener) {
	ctx := context.Background()
	st, _ := openAt(t, open)
	h := mustHost(t, st, "web01")
	k := store.HostSeries(h, "custom.tier.late")
	day := tierDay(3)
	tierSeed(t, st, k, []store.Point{{Time: day + 60, Value: 1}, {Time: day + 120, Value: 2}, {Time: day + 180, Value: 3}})
	mustCompact(t, st, store.CompactOptions{})
	// Late: one new point and one overwrite of a sealed point (a back-fill
	// window configured wider than the hot window lets them in).
	tierSeed(t, st, k, []store.Point{{Time: day + 90, Value: 1.5}, {Time: day + 120, Value: 20}})
	want := []store.Point{{Time: day + 60, Value: 1}, {Time: day + 90, Value: 1.5}, {Time: day + 120, Value: 20}, {Time: day + 180, Value: 3}}
	wantRollup := []store.Rollup{{Start: day, Count: 4, Sum: 25.5, Min: 1, Max: 20}}
	check := func(when string) {
		t.Helper()
		if got := mustPoints(t, st, k, day, day+store.Day); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Points = %v, want %v", when, got, want)
		}
		if got := mustRollups(t, st, k, day, day+store.Day, store.Step1h); !reflect.DeepEqual(got, wantRollup) {
			t.Errorf("%s: Rollups(1h) = %v, want %v", when, got, wantRollup)
		}
		latest, err := st.LatestPoints(ctx, "host", []string{h}, []string{k.Name})
		if p := latest[h][k.Name]; err != nil || p != (store.Point{Time: day + 180, Value: 3}) {
			t.Errorf("%s: LatestPoints = %v, %v", when, latest, err)
		}
	}
	check("before the merge")
	res := mustCompact(t, st, store.CompactOptions{})
	if res.SealedPoints != 2 || res.MergedBlocks != 1 {
		t.Errorf("Compact = %+v, want 2 points merged into 1 block", res)
	}
	check("after the merge")
	if n := mustCount(t, st); n != 4 {
		t.Errorf("CountPoints = %d, want 4", n)
	}
}

func testTierRetention(t *testing.T, open Opener) {
	st, clock := openAt(t, open)
	h := mustHost(t, st, "web01")
	k := store.HostSeries(h, "custom.tier.old")
	// Five days of points, 458 to 463 days before Epoch, sealed while
	// young enough.
	first := tierDay(463)
	var all []store.Point
	for i := range 5 * 24 {
		all = append(all, store.Point{Time: first + int64(i)*3600 + 1800, Value: float64(i)})
	}
	tierSeed(t, st, k, all)
	clock.Set(time.Unix(first+10*store.Day, 0))
	if res := mustCompact(t, st, store.CompactOptions{}); res.SealedBlocks != 5 || res.ExpiredBlocks != 0 {
		t.Fatalf("Compact = %+v, want 5 blocks sealed", res)
	}
	// At Epoch, days that ended more than 460 days ago are dropped whole:
	// 463, 462 and 461 days before Epoch's day (461's ended 460 days
	// before Epoch's midnight, more than 460 days before 07:08).
	clock.Set(Epoch)
	res := mustCompact(t, st, store.CompactOptions{})
	if res.ExpiredBlocks != 3 || res.ExpiredPoints != 72 || !res.Done {
		t.Errorf("Compact at Epoch = %+v, want 3 blocks (72 points) expired", res)
	}
	got := mustPoints(t, st, k, 0, Epoch.Unix())
	if want := all[72:]; !reflect.DeepEqual(got, want) {
		t.Errorf("after retention: %d points from %d, want %d from %d", len(got), got[0].Time, len(want), want[0].Time)
	}
	// A shorter retention drops more; a negative one nothing.
	if res := mustCompact(t, st, store.CompactOptions{Retention: -1}); res.ExpiredBlocks != 0 {
		t.Errorf("Compact with negative retention = %+v", res)
	}
	if res := mustCompact(t, st, store.CompactOptions{Retention: 10 * 24 * time.Hour}); res.ExpiredBlocks != 2 {
		t.Errorf("Compact with 10-day retention = %+v, want 2 blocks expired", res)
	}
	if n := mustCount(t, st); n != 0 {
		t.Errorf("CountPoints = %d, want 0", n)
	}
	// Rows already older than the retention are dropped, not sealed.
	tierSeed(t, st, k, []store.Point{{Time: tierDay(500), Value: 1}, {Time: tierDay(3), Value: 2}})
	if res := mustCompact(t, st, store.CompactOptions{}); res.ExpiredPoints != 1 || res.SealedPoints != 1 {
		t.Errorf("Compact of an expired row = %+v, want 1 expired and 1 sealed", res)
	}
	t.Run("recorded", func(t *testing.T) { testTierRecordedRetention(t, open) })
}

// A retention recorded with RecordRetention (mkr serve --retention) is
// what later runs given none keep (mkr db compact): they never drop days
// the recorded retention keeps.
func testTierRecordedRetention(t *testing.T, open Opener) {
	ctx := context.Background()
	st, _ := openAt(t, open)
	h := mustHost(t, st, "web01")
	k := store.HostSeries(h, "custom.tier.kept")
	const day = 24 * time.Hour
	// One point on each of four days, oldest first: 700, 500, 200 and 3
	// days before Epoch's day.
	tierSeed(t, st, k, []store.Point{{Time: tierDay(700), Value: 700}, {Time: tierDay(500), Value: 500}, {Time: tierDay(200), Value: 200}, {Time: tierDay(3), Value: 3}})
	days := func() []float64 {
		var out []float64
		for _, p := range mustPoints(t, st, k, 0, Epoch.Unix()) {
			out = append(out, p.Value)
		}
		return out
	}
	compact := func(opts store.CompactOptions, wantRetention time.Duration, wantDays ...float64) {
		t.Helper()
		res := mustCompact(t, st, opts)
		if res.Retention != wantRetention || !res.Done {
			t.Errorf("Compact(%+v) = %+v, want it done keeping %s", opts, res, wantRetention)
		}
		if got := days(); !reflect.DeepEqual(got, wantDays) {
			t.Errorf("after Compact(%+v): the days %v are left, want %v", opts, got, wantDays)
		}
	}
	// Recording a retention that is not positive is refused before the
	// run touches anything.
	for _, bad := range []time.Duration{0, -1} {
		_, err := st.Compact(ctx, store.CompactOptions{Retention: bad, RecordRetention: true})
		if _, ok := store.IsKind(err, store.KindInvalid); !ok {
			t.Errorf("Compact recording %s: %v, want KindInvalid", bad, err)
		}
	}
	if n := mustCount(t, st); n != 4 {
		t.Errorf("CountPoints after refused runs = %d, want 4", n)
	}
	compact(store.CompactOptions{Retention: 600 * day, RecordRetention: true}, 600*day, 500, 200, 3)
	// Without the record, 460 days would drop the day 500 days old.
	compact(store.CompactOptions{}, 600*day, 500, 200, 3)
	// A run given a retention keeps that one and leaves the record.
	compact(store.CompactOptions{Retention: 460 * day}, 460*day, 200, 3)
	compact(store.CompactOptions{}, 600*day, 200, 3)
	compact(store.CompactOptions{Retention: -1}, 0, 200, 3)
	// The newest record wins.
	compact(store.CompactOptions{Retention: 100 * day, RecordRetention: true}, 100*day, 3)
	compact(store.CompactOptions{}, 100*day, 3)
}

func testTierRollups(t *testing.T, open Opener) {
	ctx := context.Background()
	st, _ := openAt(t, open)
	h := mustHost(t, st, "web01")
	k := store.HostSeries(h, "custom.tier.rollup")
	day := tierDay(2)
	// Two hours of one-minute points valued by their minute, plus one
	// point of the hot tier (today).
	var pts []store.Point
	for i := range 120 {
		pts = append(pts, store.Point{Time: day + int64(i)*60, Value: float64(i)})
	}
	pts = append(pts, store.Point{Time: tierDay(0) + 30, Value: -1})
	tierSeed(t, st, k, pts)
	want5m := func() []store.Rollup {
		var out []store.Rollup
		for b := range 24 {
			v := float64(5 * b)
			out = append(out, store.Rollup{Start: day + int64(b)*300, Count: 5, Sum: 5*v + 10, Min: v, Max: v + 4})
		}
		return append(out, store.Rollup{Start: tierDay(0), Count: 1, Sum: -1, Min: -1, Max: -1})
	}()
	want1h := []store.Rollup{
		{Start: day, Count: 60, Sum: 1770, Min: 0, Max: 59},
		{Start: day + 3600, Count: 60, Sum: 5370, Min: 60, Max: 119},
		{Start: tierDay(0), Count: 1, Sum: -1, Min: -1, Max: -1},
	}
	for _, when := range []string{"hot", "sealed"} {
		if when == "sealed" {
			mustCompact(t, st, store.CompactOptions{})
		}
		if got := mustRollups(t, st, k, day, Epoch.Unix(), store.Step5m); !reflect.DeepEqual(got, want5m) {
			t.Errorf("%s: Rollups(5m) = %v\nwant %v", when, got, want5m)
		}
		if got := mustRollups(t, st, k, 0, Epoch.Unix(), store.Step1h); !reflect.DeepEqual(got, want1h) {
			t.Errorf("%s: Rollups(1h) = %v, want %v", when, got, want1h)
		}
		// A range inside buckets yields the buckets it overlaps, whole.
		if got := mustRollups(t, st, k, day+3599, day+3600, store.Step1h); !reflect.DeepEqual(got, want1h[:2]) {
			t.Errorf("%s: Rollups(1h) across one edge = %v, want %v", when, got, want1h[:2])
		}
		if got := mustRollups(t, st, k, day+7200, tierDay(0)-1, store.Step5m); len(got) != 0 {
			t.Errorf("%s: Rollups over a gap = %v, want none", when, got)
		}
	}
	if m := want1h[1].Mean(); m != 89.5 {
		t.Errorf("Mean = %v", m)
	}
	if _, err := st.Rollups(ctx, k, 0, 1, 60); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Rollups at 60 s: err = %v, want ErrInvalid", err)
	}
	if _, err := st.Rollups(ctx, store.HostSeries(h, "custom.nope"), 0, 1, store.Step5m); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Rollups of an unknown series: err = %v, want ErrNotFound", err)
	}
}

func testTierSubMinute(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	h := mustHost(t, st, "web01")
	k := store.HostSeries(h, "custom.tier.fast")
	// Ten minutes at one second, in a day to seal and in today's rows.
	var pts []store.Point
	for _, start := range []int64{tierDay(2) + 3600, Epoch.Unix() - 600} {
		for i := range 600 {
			pts = append(pts, store.Point{Time: start + int64(i), Value: float64(i) * 0.25})
		}
	}
	tierSeed(t, st, k, pts)
	check := func(when string) {
		t.Helper()
		if got := mustPoints(t, st, k, 0, Epoch.Unix()); !reflect.DeepEqual(got, pts) {
			t.Errorf("%s: %d points back, want the %d stored exactly", when, len(got), len(pts))
		}
		r := mustRollups(t, st, k, tierDay(2), tierDay(2)+store.Day, store.Step5m)
		if len(r) != 2 || r[0].Count != 300 || r[1].Count != 300 || r[1].Min != 75 || r[1].Max != 149.75 {
			t.Errorf("%s: 5-minute rollups of one-second points = %+v", when, r)
		}
	}
	check("hot")
	if res := mustCompact(t, st, store.CompactOptions{}); res.SealedPoints != 600 {
		t.Errorf("Compact = %+v, want 600 points sealed", res)
	}
	check("sealed")
}

func testTierInterruptedSeal(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	h := mustHost(t, st, "web01")
	var keys []store.SeriesKey
	for _, name := range []string{"custom.tier.a", "custom.tier.b", "custom.tier.c"} {
		k := store.HostSeries(h, name)
		keys = append(keys, k)
		tierSeed(t, st, k, tierShape(tierDay(4), 3*1440))
	}
	before := viewTiers(t, st, h, keys...)
	// Batches of about a day each; the third fails before it commits.
	stop := errors.New("power cut")
	_, err := st.Compact(context.Background(), store.CompactOptions{BatchPoints: 1000, BeforeCommit: func(n int) error {
		if n == 3 {
			return stop
		}
		return nil
	}})
	if !errors.Is(err, stop) {
		t.Fatalf("interrupted Compact: err = %v, want %v", err, stop)
	}
	if mid := viewTiers(t, st, h, keys...); !reflect.DeepEqual(mid, before) {
		t.Errorf("reads after an interrupted seal:\nbefore %s\nafter  %s", summarize(before), summarize(mid))
	}
	res := mustCompact(t, st, store.CompactOptions{})
	if !res.Done || res.SealedBlocks != 7 || res.MergedBlocks != 0 {
		// Of 9 series-days (3 series × days 4, 3, 2), the first two
		// batches sealed 2; the rest, 7, now.
		t.Errorf("re-run = %+v, want the 7 remaining blocks sealed", res)
	}
	if after := viewTiers(t, st, h, keys...); !reflect.DeepEqual(after, before) {
		t.Errorf("reads after the re-run:\nbefore %s\nafter  %s", summarize(before), summarize(after))
	}
}

func testTierBoundedRuns(t *testing.T, open Opener) {
	st, clock := openAt(t, open)
	h := mustHost(t, st, "web01")
	k := store.HostSeries(h, "custom.tier.bounded")
	tierSeed(t, st, k, tierShape(tierDay(6), 5*1440))
	before := mustPoints(t, st, k, 0, Epoch.Unix())
	runs, sealed := 0, 0
	for {
		res := mustCompact(t, st, store.CompactOptions{MaxBatches: 1, BatchPoints: 1000})
		runs++
		sealed += res.SealedBlocks
		if res.Batches > 1 {
			t.Fatalf("a run of at most 1 batch made %d", res.Batches)
		}
		if res.Done {
			break
		}
		if runs > 20 {
			t.Fatalf("no end after %d bounded runs", runs)
		}
	}
	// Days 6 to 2 before Epoch's: 5 blocks, one per bounded run, and one
	// more run to find nothing left.
	if sealed != 5 || runs < 5 {
		t.Errorf("bounded runs sealed %d blocks in %d runs, want 5", sealed, runs)
	}
	if got := mustPoints(t, st, k, 0, Epoch.Unix()); !reflect.DeepEqual(got, before) {
		t.Errorf("reads changed by bounded runs: %d points, want %d", len(got), len(before))
	}
	// Done for today: the next bounded run does nothing, not even a batch.
	if res := mustCompact(t, st, store.CompactOptions{MaxBatches: 1}); res.Batches != 0 || !res.Done {
		t.Errorf("bounded run after completion = %+v, want no batch", res)
	}
	// A point posted on Sunday is a row until a day later, when Sunday
	// is due and the next bounded run seals it.
	tierSeed(t, st, k, []store.Point{{Time: tierDay(1) + 60, Value: 7}})
	if res := mustCompact(t, st, store.CompactOptions{MaxBatches: 1}); res.SealedPoints != 0 {
		t.Errorf("bounded run the same day = %+v, want nothing sealed", res)
	}
	clock.Advance(24 * time.Hour)
	if res := mustCompact(t, st, store.CompactOptions{MaxBatches: 1}); res.SealedPoints != 1 || !res.Done {
		t.Errorf("bounded run a day later = %+v, want Sunday's point sealed", res)
	}
}
