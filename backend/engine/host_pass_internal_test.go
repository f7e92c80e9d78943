package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
)

// countingStore counts the reads a host pass makes per chunk.
type countingStore struct {
	store.Store
	recent, lastPosts int
}

func (c *countingStore) RecentPoints(ctx context.Context, kind string, owners, names []string, since int64, n int) (map[string]map[string][]store.Point, error) {
	c.recent++
	return c.Store.RecentPoints(ctx, kind, owners, names, since, n)
}

func (c *countingStore) LastMetricPosts(ctx context.Context, hosts []string) (map[string]int64, error) {
	c.lastPosts++
	return c.Store.LastMetricPosts(ctx, hosts)
}

// TestHostPassInChunks: a fleet evaluated a chunk of hosts at a time (7
// hosts, chunks of 3, paced) reads each chunk's points and last posts
// once, and opens exactly the alerts one pass over the whole fleet would:
// the host monitor's on the hosts over the threshold in every chunk, the
// connectivity monitor's on the host gone silent.
func TestHostPassInChunks(t *testing.T) {
	ctx := context.Background()
	now := time.Unix(1_700_000_000, 0)
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "mkr.db"), store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	names := map[string]string{} // host id → name
	var ids []string
	for i := range 7 {
		id, err := st.CreateHost(ctx, store.NewHost{Name: fmt.Sprintf("web%02d", i), Status: "working"})
		if err != nil {
			t.Fatal(err)
		}
		names[id], ids = fmt.Sprintf("web%02d", i), append(ids, id)
		at := now.Unix() - 60
		if i == 0 {
			at = now.Unix() - 11*60 // silent for 11 minutes: gone
		}
		// InsertPointsSince records the post at the store's clock: move
		// it back for web00.
		pts := []store.SeriesPoint{{Key: store.HostSeries(id, "loadavg5"), Point: store.Point{Time: at, Value: float64(i)}}}
		if _, err := st.InsertPointsSince(ctx, pts, 0); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			now = now.Add(11 * time.Minute)
		}
	}
	crit := 2.5
	for _, m := range []*monitor.Monitor{
		{Type: monitor.TypeHost, Name: "load", Metric: "loadavg5", Operator: ">", Critical: &crit, Duration: 1, MaxCheckAttempts: 1},
		{Type: monitor.TypeConnectivity, Name: "connectivity"},
	} {
		m.ID = store.NewID()
		if err := st.CreateMonitor(ctx, &store.Monitor{ID: m.ID, Type: m.Type, Name: m.Name, Body: monitor.Encode(m)}); err != nil {
			t.Fatal(err)
		}
	}
	counting := &countingStore{Store: st}
	e := New(counting)
	e.chunk = 3
	e.SetShare(0.5)
	if err := e.Advance(ctx, now); err != nil {
		t.Fatal(err)
	}
	if counting.recent != 3 || counting.lastPosts != 3 {
		t.Errorf("reads of points, last posts = %d, %d for 7 hosts in chunks of 3; want 3, 3", counting.recent, counting.lastPosts)
	}
	open, err := st.OpenAlerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range open {
		got = append(got, a.Type+" "+names[a.HostID])
	}
	slices.Sort(got)
	want := []string{"connectivity web00", "host web03", "host web04", "host web05", "host web06"}
	if !slices.Equal(got, want) {
		t.Errorf("open alerts = %q, want %q", got, want)
	}

	// An ingest's hosts go in chunks too: four hosts, two reads.
	counting.recent = 0
	var keys []store.SeriesKey
	for _, id := range ids[3:] {
		keys = append(keys, store.HostSeries(id, "loadavg5"))
	}
	if err := e.AdvanceIngest(ctx, now, keys); err != nil {
		t.Fatal(err)
	}
	if counting.recent != 2 {
		t.Errorf("reads of points for an ingest of 4 hosts in chunks of 3 = %d, want 2", counting.recent)
	}
}
