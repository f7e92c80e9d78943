package storetest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// testRecentPointsMany: RecentPoints over more series than one read
// takes (1,100), some posted to every minute, some sparsely (their newest
// n reach back hours), some with a point in the future, returns exactly
// the newest n points since `since` of each, oldest first.
func testRecentPointsMany(t *testing.T, open Opener) {
	st, clock := openAt(t, open)
	ctx := context.Background()
	h := mustHost(t, st, "web01")
	now := clock.Now().Unix()
	const series, n = 1100, 3
	since := now - 4*3600
	var pts []store.SeriesPoint
	want := map[string]map[string][]store.Point{}
	for i := range series {
		name := fmt.Sprintf("custom.m.%04d", i)
		var times []int64
		switch i % 3 {
		case 0: // every minute for half an hour
			for m := range int64(30) {
				times = append(times, now-60*m)
			}
		case 1: // every 20 minutes for 6 hours, some before since
			for m := range int64(18) {
				times = append(times, now-1200*m-30)
			}
		case 2: // a point ahead of the clock, one recent, one before since
			times = []int64{now + 120, now - 100, since - 60}
		}
		var kept []store.Point
		for _, tm := range times {
			p := store.Point{Time: tm, Value: float64(i) + float64(tm%1000)/1000}
			pts = append(pts, sp(store.HostSeries(h, name), tm, p.Value))
			if tm >= since {
				kept = append(kept, p)
			}
		}
		slices.SortFunc(kept, func(a, b store.Point) int { return int(a.Time - b.Time) })
		if len(kept) > n {
			kept = kept[len(kept)-n:]
		}
		if want[h] == nil {
			want[h] = map[string][]store.Point{}
		}
		want[h][name] = kept
	}
	if _, err := st.InsertPointsSince(ctx, pts, 0); err != nil {
		t.Fatal(err)
	}
	for _, owners := range [][]string{nil, {h}} {
		got, err := st.RecentPoints(ctx, "host", owners, []string{"custom.m.*"}, since, n)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			for name, w := range want[h] {
				if g := got[h][name]; !reflect.DeepEqual(g, w) {
					t.Fatalf("owners %v: %s = %v, want %v (%d series returned)", owners, name, g, w, len(got[h]))
				}
			}
			t.Fatalf("owners %v: %d series returned, want %d", owners, len(got[h]), len(want[h]))
		}
	}
}
