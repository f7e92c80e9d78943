package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
	"github.com/mkr-dev/mkr/backend/store/storetest"
)

// openCached opens a store whose series cache keeps at most size ids.
func openCached(tb testing.TB, size int) *sqlite.Store {
	tb.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "t.db"),
		store.Options{Now: func() time.Time { return tsStoreNow }, SeriesCacheSize: size})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// TestSeriesCacheBounded: however many distinct series are posted to, the
// cache keeps at most its bound; series it dropped are found again (not
// created twice), so every point lands in its own series.
func TestSeriesCacheBounded(t *testing.T) {
	const bound, series = 8, 300
	ctx := context.Background()
	st := openCached(t, bound)
	h := tsMustHost(t, st, "web01")
	tsMustService(t, st, "blog")
	key := func(i int) store.SeriesKey {
		if i%2 == 0 {
			return store.HostSeries(h, fmt.Sprintf("custom.m%03d", i))
		}
		return store.ServiceSeries("blog", fmt.Sprintf("m%03d", i))
	}
	// Round 1 creates the series, 3 at a time; round 2 posts to them again
	// in the same order (the worst order for an LRU: every one a miss);
	// round 3 in one batch of all of them, far more than the bound (the
	// cache keeps owners whole, so it holds neither of these).
	for round := int64(1); round <= 2; round++ {
		for i := 0; i < series; i += 3 {
			batch := []store.SeriesPoint{tsSP(key(i), round*60, float64(i)), tsSP(key(i+1), round*60, float64(i+1)), tsSP(key(i+2), round*60, float64(i+2))}
			if err := st.InsertPoints(ctx, batch); err != nil {
				t.Fatalf("round %d, series %d: %v", round, i, err)
			}
			if n := sqlite.SeriesCacheLen(st); n > bound {
				t.Fatalf("round %d, series %d: cache holds %d ids, bound %d", round, i, n, bound)
			}
		}
	}
	var all []store.SeriesPoint
	for i := 0; i < series; i++ {
		all = append(all, tsSP(key(i), 180, float64(-i)))
	}
	if err := st.InsertPoints(ctx, all); err != nil {
		t.Fatal(err)
	}
	if n := sqlite.SeriesCacheLen(st); n > bound {
		t.Fatalf("cache holds %d ids after %d series, bound %d", n, series, bound)
	}
	for i := 0; i < series; i++ {
		want := []store.Point{{Time: 60, Value: float64(i)}, {Time: 120, Value: float64(i)}, {Time: 180, Value: float64(-i)}}
		got, err := st.Points(ctx, key(i), 0, 1000)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%v: %v %v, want %v", key(i), got, err, want)
		}
	}
	hostNames, _ := st.MetricNames(ctx, "host", h)
	svcNames, _ := st.MetricNames(ctx, "service", "blog")
	if len(hostNames)+len(svcNames) != series {
		t.Fatalf("%d host and %d service series, want %d in all", len(hostNames), len(svcNames), series)
	}
	if n := tsMustCount(t, st); n != 3*series {
		t.Fatalf("%d points, want %d", n, 3*series)
	}
}

// TestSeriesCacheOff: with no cache at all (a negative size), every post
// looks its series up, and nothing is remembered.
func TestSeriesCacheOff(t *testing.T) {
	ctx := context.Background()
	st := openCached(t, -1)
	k := store.HostSeries(tsMustHost(t, st, "web01"), "custom.a")
	for i := int64(1); i <= 3; i++ {
		if err := st.InsertPoints(ctx, []store.SeriesPoint{tsSP(k, i, float64(i))}); err != nil {
			t.Fatal(err)
		}
	}
	if n := sqlite.SeriesCacheLen(st); n != 0 {
		t.Fatalf("cache holds %d ids, want none", n)
	}
	if got, _ := st.Points(ctx, k, 0, 10); len(got) != 3 {
		t.Fatalf("points %v, want 3", got)
	}
}

// TestSeriesCacheDefault: an unset size is DefaultSeriesCacheSize.
func TestSeriesCacheDefault(t *testing.T) {
	ctx := context.Background()
	st := tsNewStore(t)
	h := tsMustHost(t, st, "web01")
	var batch []store.SeriesPoint
	for i := 0; i < 1000; i++ {
		batch = append(batch, tsSP(store.HostSeries(h, fmt.Sprintf("custom.m%d", i)), 60, 1))
	}
	if err := st.InsertPoints(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if n := sqlite.SeriesCacheLen(st); n != 1000 {
		t.Fatalf("cache holds %d ids, want all 1000 (default bound %d)", n, sqlite.DefaultSeriesCacheSize)
	}
}

// TestContractTinySeriesCache: the whole store contract holds whether the
// cache keeps one id or none: correctness never depends on it.
func TestContractTinySeriesCache(t *testing.T) {
	for _, size := range []int{1, -1} {
		t.Run(fmt.Sprintf("size=%d", size), func(t *testing.T) {
			storetest.Run(t, func(t *testing.T, now func() time.Time) store.Store {
				st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "mkr.db"), store.Options{Now: now, SeriesCacheSize: size})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				return st
			})
		})
	}
}

// TestSeriesLookupBigOwner: with no cache, a miss reads the owner's series
// at once, but only up to a bound (a service fed by a fleet may have very
// many); past it, series are looked up one by one. Either way a re-posted
// series is found, not created twice, and new ones are created.
func TestSeriesLookupBigOwner(t *testing.T) {
	const series = 2500 // more than the bound of one owner's read (2048)
	ctx := context.Background()
	st := openCached(t, -1)
	tsMustService(t, st, "fleet")
	key := func(i int) store.SeriesKey { return store.ServiceSeries("fleet", fmt.Sprintf("m%04d", i)) }
	post := func(from, to int, time int64) {
		t.Helper()
		var batch []store.SeriesPoint
		for i := from; i < to; i++ {
			batch = append(batch, tsSP(key(i), time, float64(i)))
		}
		if err := st.InsertPoints(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	post(0, series, 60)
	post(series-10, series+10, 120) // 10 known (past the bound), 10 new
	post(0, 10, 120)                // known, within the bound
	names, err := st.MetricNames(ctx, "service", "fleet")
	if err != nil || len(names) != series+10 {
		t.Fatalf("%d series (%v), want %d", len(names), err, series+10)
	}
	for _, c := range []struct {
		i    int
		want []store.Point
	}{
		{0, []store.Point{{Time: 60, Value: 0}, {Time: 120, Value: 0}}},
		{series - 1, []store.Point{{Time: 60, Value: series - 1}, {Time: 120, Value: series - 1}}},
		{series + 5, []store.Point{{Time: 120, Value: series + 5}}},
		{1000, []store.Point{{Time: 60, Value: 1000}}},
	} {
		got, err := st.Points(ctx, key(c.i), 0, 1000)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Fatalf("%v: %v %v, want %v", key(c.i), got, err, c.want)
		}
	}
}
