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

// openAlertNames lists the open alerts as "monitor name/host name".
func openAlertNames(t *testing.T, st store.Store, monitors, hosts map[string]string) []string {
	t.Helper()
	open, err := st.OpenAlerts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range open {
		got = append(got, monitors[a.MonitorID]+"/"+hosts[a.HostID])
	}
	slices.Sort(got)
	return got
}

// TestHostPassInterval: under a pass interval (serve's minute), a full
// evaluation runs a per-host monitor over the fleet once per interval —
// the monitors that exist at the first one from an interval later — and
// a monitor created meanwhile at the next Advance; a host posting again
// closes its connectivity alert at ingest.
func TestHostPassInterval(t *testing.T) {
	ctx := context.Background()
	minute := time.Unix(1_700_000_040, 0) // a whole minute
	now := minute
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "mkr.db"), store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	host, err := st.CreateHost(ctx, store.NewHost{Name: "web01", Status: "working"})
	if err != nil {
		t.Fatal(err)
	}
	hosts, monitors := map[string]string{host: "web01"}, map[string]string{}
	e := New(st)
	e.SetHostPassInterval(time.Minute, minute)
	load := func(at time.Time, v float64) store.SeriesKey {
		t.Helper()
		key := store.HostSeries(host, "loadavg5")
		if _, err := st.InsertPointsSince(ctx, []store.SeriesPoint{{Key: key, Point: store.Point{Time: at.Unix(), Value: v}}}, 0); err != nil {
			t.Fatal(err)
		}
		return key
	}
	create := func(m *monitor.Monitor) {
		t.Helper()
		m.ID = store.NewID()
		monitors[m.ID] = m.Name
		if err := st.CreateMonitor(ctx, &store.Monitor{ID: m.ID, Type: m.Type, Name: m.Name, Body: monitor.Encode(m)}); err != nil {
			t.Fatal(err)
		}
	}
	advance := func(at time.Time, want ...string) {
		t.Helper()
		now = at
		if err := e.Advance(ctx, at); err != nil {
			t.Fatal(err)
		}
		if got := openAlertNames(t, st, monitors, hosts); !slices.Equal(got, want) {
			t.Fatalf("at +%s: open alerts %q, want %q", at.Sub(minute), got, want)
		}
	}
	crit := 2.5
	create(&monitor.Monitor{Type: monitor.TypeHost, Name: "load", Metric: "loadavg5", Operator: ">", Critical: &crit, Duration: 1, MaxCheckAttempts: 1})
	create(&monitor.Monitor{Type: monitor.TypeConnectivity, Name: "connectivity"})
	// The monitors that exist at the first evaluation wait an interval
	// (a restart's first minute); then once per minute.
	load(minute.Add(-time.Minute), 9) // stored without its ingest evaluation
	advance(minute)
	advance(minute.Add(15 * time.Second))
	crit2 := 5.0
	create(&monitor.Monitor{Type: monitor.TypeHost, Name: "load5", Metric: "loadavg5", Operator: ">", Critical: &crit2, Duration: 1, MaxCheckAttempts: 1})
	advance(minute.Add(20*time.Second), "load5/web01") // new: runs at once
	advance(minute.Add(time.Minute), "load/web01", "load5/web01")

	// Silent for ten minutes: the next minute's pass opens the
	// connectivity alert; a post closes it at ingest.
	advance(minute.Add(11*time.Minute), "connectivity/web01", "load/web01", "load5/web01")
	now = minute.Add(11*time.Minute + 5*time.Second)
	key := load(now, 1)
	if err := e.AdvanceIngest(ctx, now, []store.SeriesKey{key}); err != nil {
		t.Fatal(err)
	}
	if got := openAlertNames(t, st, monitors, hosts); len(got) != 0 {
		t.Fatalf("after a post under 2.5: open alerts %q, want none", got)
	}
}

// TestHostPassFirstAfterHold: a first full evaluation that comes more
// than an interval after serve started (a slow start, a clock that
// jumped) holds nothing back.
func TestHostPassFirstAfterHold(t *testing.T) {
	now := time.Unix(1_700_000_040, 0)
	e := New(nil)
	e.SetHostPassInterval(time.Minute, now.Add(-2*time.Minute))
	ms := []*monitor.Monitor{{ID: "m1", Type: monitor.TypeConnectivity}}
	if due := e.duePasses(ms, now); len(due) != 1 {
		t.Fatalf("due at the first evaluation, past the hold: %d monitors, want 1", len(due))
	}
	held := New(nil)
	held.SetHostPassInterval(time.Minute, now)
	if due := held.duePasses(ms, now); len(due) != 0 {
		t.Fatalf("due at the first evaluation, within the hold: %d monitors, want 0", len(due))
	}
}
