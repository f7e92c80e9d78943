package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
)

// countingStore counts RecentPoints calls.
type countingStore struct {
	store.Store
	calls int
}

func (c *countingStore) RecentPoints(ctx context.Context, kind string, owners, names []string, since int64, n int) (map[string]map[string][]store.Point, error) {
	c.calls++
	return c.Store.RecentPoints(ctx, kind, owners, names, since, n)
}

// TestPacedRecentPoints: a paced snapshot reads its hosts' points a chunk
// at a time and returns what one read returns.
func TestPacedRecentPoints(t *testing.T) {
	ctx := context.Background()
	now := time.Unix(1_700_000_000, 0)
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "mkr.db"), store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var owners []string
	var pts []store.SeriesPoint
	for i := range 7 {
		id, err := st.CreateHost(ctx, store.NewHost{Name: fmt.Sprintf("web%02d", i), Status: "working"})
		if err != nil {
			t.Fatal(err)
		}
		owners = append(owners, id)
		for m := range int64(3) {
			pts = append(pts, store.SeriesPoint{Key: store.HostSeries(id, "loadavg5"), Point: store.Point{Time: now.Unix() - 60*m, Value: float64(i) + float64(m)}})
		}
	}
	if err := st.InsertPoints(ctx, pts); err != nil {
		t.Fatal(err)
	}
	whole := &snapshot{now: now, owners: owners, st: st}
	want, err := whole.pacedRecentPoints(ctx, []string{"loadavg5"}, 2)
	if err != nil || len(want) != 7 {
		t.Fatalf("unpaced: %d hosts, %v; want 7", len(want), err)
	}
	counting := &countingStore{Store: st}
	paced := &snapshot{now: now, owners: owners, st: counting, share: 0.5, chunk: 3}
	got, err := paced.pacedRecentPoints(ctx, []string{"loadavg5"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("paced read = %v, want %v", got, want)
	}
	if counting.calls != 3 {
		t.Fatalf("%d reads for 7 hosts in chunks of 3, want 3", counting.calls)
	}
}
