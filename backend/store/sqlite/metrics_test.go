package sqlite_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
)

// tsStoreNow is the fixed clock of the ts_ store tests.
var tsStoreNow = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// tsOpen opens a store on path (closed when the test ends).
func tsOpen(tb testing.TB, path string) *sqlite.Store {
	tb.Helper()
	return openStore(tb, path, func() time.Time { return tsStoreNow })
}

func tsNewStore(tb testing.TB) *sqlite.Store {
	tb.Helper()
	return tsOpen(tb, filepath.Join(tb.TempDir(), "t.db"))
}

func tsMustHost(tb testing.TB, st *sqlite.Store, name string) string {
	tb.Helper()
	id, err := st.CreateHost(context.Background(), store.NewHost{Name: name, Status: "working"})
	if err != nil {
		tb.Fatalf("CreateHost: %v", err)
	}
	return id
}

func tsMustService(tb testing.TB, st *sqlite.Store, name string, roles ...string) {
	tb.Helper()
	ctx := context.Background()
	if _, err := st.CreateService(ctx, name, ""); err != nil {
		tb.Fatalf("CreateService: %v", err)
	}
	for _, r := range roles {
		if _, err := st.CreateRole(ctx, name, r, ""); err != nil {
			tb.Fatalf("CreateRole: %v", err)
		}
	}
}

func tsMustCount(tb testing.TB, st *sqlite.Store) int64 {
	tb.Helper()
	n, err := st.CountPoints(context.Background())
	if err != nil {
		tb.Fatalf("CountPoints: %v", err)
	}
	return n
}

func tsSP(k store.SeriesKey, t int64, v float64) store.SeriesPoint {
	return store.SeriesPoint{Key: k, Point: store.Point{Time: t, Value: v}}
}

// TestTSStoreSeriesIDsNotReused: two processes share the database (local
// mkr next to `mkr serve`). One deletes a service, whose series had the
// highest id, and creates a new series; the other still remembers the
// deleted series' id. Its next post to the re-created service must land in
// that service's series, not in the newcomer that took over a reused id.
func TestTSStoreSeriesIDsNotReused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	serve, local := tsOpen(t, path), tsOpen(t, path)
	h := tsMustHost(t, serve, "web01")
	tsMustService(t, serve, "blog")
	hostKey, svcKey := store.HostSeries(h, "custom.a"), store.ServiceSeries("blog", "req")
	if err := serve.InsertPoints(ctx, []store.SeriesPoint{tsSP(hostKey, 100, 1), tsSP(svcKey, 100, 2)}); err != nil {
		t.Fatal(err)
	}
	// In the other process: drop the service (and its series), re-create
	// it, and post a brand-new host series.
	if _, err := local.DeleteService(ctx, "blog"); err != nil {
		t.Fatal(err)
	}
	if _, err := local.CreateService(ctx, "blog", ""); err != nil {
		t.Fatal(err)
	}
	newKey := store.HostSeries(h, "custom.new")
	if err := local.InsertPoints(ctx, []store.SeriesPoint{tsSP(newKey, 100, 3)}); err != nil {
		t.Fatal(err)
	}
	// Back in the first process, whose cache still holds the old id.
	if err := serve.InsertPoints(ctx, []store.SeriesPoint{tsSP(svcKey, 200, 4)}); err != nil {
		t.Fatalf("InsertPoints with a stale cache: %v", err)
	}
	for _, c := range []struct {
		key  store.SeriesKey
		want []store.Point
	}{
		{newKey, []store.Point{{Time: 100, Value: 3}}},
		{svcKey, []store.Point{{Time: 200, Value: 4}}},
		{hostKey, []store.Point{{Time: 100, Value: 1}}},
	} {
		for name, st := range map[string]*sqlite.Store{"serve": serve, "local": local} {
			got, err := st.Points(ctx, c.key, 0, 1000)
			if err != nil || !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s: Points(%v) = %v, %v; want %v", name, c.key, got, err, c.want)
			}
		}
	}
}
