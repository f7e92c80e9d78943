package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/postgres/pgtest"
	"github.com/mkr-dev/mkr/backend/store/storetest"
)

// Two replicas on one database: a remembers a service series' id, b
// deletes the series (or the whole service, then makes it again). a's
// next post must not write under the dead id (the points would be lost,
// the series never seen again): it lands in a new series that b reads, or
// fails with not found while the service is gone.
func TestSeriesCacheAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	clock := storetest.NewClock(storetest.Epoch)
	a, b := openStore(t, dsn, clock.Now), openStore(t, dsn, clock.Now)
	if _, err := a.CreateService(ctx, "web", ""); err != nil {
		t.Fatal(err)
	}
	key := store.ServiceSeries("web", "req.count")
	t0 := storetest.Epoch.Unix() - 600
	post := func(st store.Store, t int64, v float64) error {
		return st.InsertPoints(ctx, []store.SeriesPoint{{Key: key, Point: store.Point{Time: t, Value: v}}})
	}
	wantPoints := func(st store.Store, want ...store.Point) {
		t.Helper()
		got, err := st.Points(ctx, key, 0, t0+3600)
		if err != nil {
			t.Fatalf("Points: %v", err)
		}
		if len(got) != len(want) {
			t.Fatalf("points %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("points %v, want %v", got, want)
			}
		}
	}

	if err := post(a, t0, 1); err != nil { // a remembers the id
		t.Fatal(err)
	}
	if n, err := b.DeleteServiceMetrics(ctx, "web", func(string) bool { return true }); err != nil || n != 1 {
		t.Fatalf("DeleteServiceMetrics = %d, %v", n, err)
	}
	if err := post(a, t0+60, 2); err != nil {
		t.Fatalf("post after the series was deleted elsewhere: %v", err)
	}
	wantPoints(b, store.Point{Time: t0 + 60, Value: 2})

	if _, err := b.DeleteService(ctx, "web"); err != nil {
		t.Fatal(err)
	}
	if err := post(a, t0+120, 3); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("post to a deleted service: %v, want not found", err)
	}
	if _, err := b.CreateService(ctx, "web", ""); err != nil {
		t.Fatal(err)
	}
	if err := post(a, t0+180, 4); err != nil {
		t.Fatalf("post to the service made again: %v", err)
	}
	// Only the new point: the deleted service's series is not resurrected.
	wantPoints(b, store.Point{Time: t0 + 180, Value: 4})
	wantPoints(a, store.Point{Time: t0 + 180, Value: 4})
}
