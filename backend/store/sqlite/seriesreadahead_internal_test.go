package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// TestReadAheadSeriesIDs: a store opened afresh (an empty cache, as after
// a restart) learns an owner's ids on the read pool before the insert
// reaches the writer — the ids the database holds; not those of an owner
// past maxOwnerLoad series; nothing when its cache is off.
func TestReadAheadSeriesIDs(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	first, err := Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := first.CreateHost(ctx, store.NewHost{Name: "web01", Status: "working"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.CreateService(ctx, "fleet", ""); err != nil {
		t.Fatal(err)
	}
	var pts []store.SeriesPoint
	for i := range 3 {
		pts = append(pts, store.SeriesPoint{Key: store.HostSeries(h, fmt.Sprintf("custom.m%d", i)), Point: store.Point{Time: 60, Value: 1}})
	}
	for i := range maxOwnerLoad + 1 {
		pts = append(pts, store.SeriesPoint{Key: store.ServiceSeries("fleet", fmt.Sprintf("m%05d", i)), Point: store.Point{Time: 60, Value: 1}})
	}
	if err := first.InsertPoints(ctx, pts); err != nil {
		t.Fatal(err)
	}
	want := map[store.SeriesKey]int64{}
	for i := range 3 {
		k := store.HostSeries(h, fmt.Sprintf("custom.m%d", i))
		id, ok := first.series.Get(k)
		if !ok {
			t.Fatalf("%v not cached by the store that created it", k)
		}
		want[k] = id
	}
	first.Close()

	for _, size := range []int{0, -1} {
		st, err := Open(ctx, path, store.Options{SeriesCacheSize: size})
		if err != nil {
			t.Fatal(err)
		}
		if st.series.Len() != 0 {
			t.Fatalf("a fresh store's cache holds %d ids", st.series.Len())
		}
		st.readAheadSeriesIDs(ctx, []store.SeriesKey{store.HostSeries(h, "custom.m0"), store.ServiceSeries("fleet", "m00000")})
		if size < 0 {
			if n := st.series.Len(); n != 0 {
				t.Errorf("cache off: holds %d ids", n)
			}
		} else {
			if n := st.series.Len(); n != len(want) {
				t.Errorf("holds %d ids, want the host's %d (not the service's %d)", n, len(want), maxOwnerLoad+1)
			}
			for k, id := range want {
				if got, ok := st.series.Get(k); !ok || got != id {
					t.Errorf("%v: %d, %v; want %d", k, got, ok, id)
				}
			}
		}
		st.Close()
	}
}
