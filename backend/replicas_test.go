package backend_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/auth"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/postgres/pgtest"
)

// Two `mkr serve` replicas in one process: two backends opened on one
// PostgreSQL database, each with its monitoring loops.

// openReplicas opens n backends on one fresh database; with monitoring
// they run serve's loops with a short monitoring lease.
func openReplicas(t *testing.T, n int, monitoring bool) []*backend.Backend {
	t.Helper()
	dsn := pgtest.DSN(t)
	var out []*backend.Backend
	for range n {
		b, err := backend.Open(context.Background(), dsn, backend.Options{})
		if err != nil {
			t.Fatalf("backend.Open: %v", err)
		}
		t.Cleanup(func() { b.Close() })
		if monitoring {
			stop := b.StartMonitoringWith(context.Background(), backend.MonitoringOptions{Interval: time.Second, LeaseTTL: 2 * time.Second})
			t.Cleanup(stop) // runs before Close
		}
		out = append(out, b)
	}
	return out
}

// hookCounter is a webhook receiver on loopback recording the alert id
// and status of every notification it gets.
type hookCounter struct {
	*httptest.Server
	mu  sync.Mutex
	got []string
}

func newHookCounter(t *testing.T) *hookCounter {
	h := &hookCounter{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body struct {
			Alert struct{ ID, Status string }
		}
		json.Unmarshal(raw, &body)
		h.mu.Lock()
		h.got = append(h.got, body.Alert.ID+" "+body.Alert.Status)
		h.mu.Unlock()
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookCounter) received() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.got...)
}

// A write on one replica is read on the other; an alert caused by the same
// data posted to both replicas at once opens once and is delivered once,
// both replicas evaluating what was posted to them and both dispatching;
// exactly one replica holds the monitoring lease.
func TestReplicasAlertOnceDeliverOnce(t *testing.T) {
	rs := openReplicas(t, 2, true)
	a, b := rs[0].Handler(), rs[1].Handler()

	var host struct{ ID string }
	mustDecode(t, serve(t, a, "POST", "/api/v0/hosts", `{"name":"web01","meta":{}}`), &host)
	if r := serve(t, b, "GET", "/api/v0/hosts/"+host.ID, ""); r.status != 200 || !strings.Contains(string(r.body), `"web01"`) {
		t.Fatalf("replica b reading replica a's host: %d %s", r.status, r.body)
	}
	hook := newHookCounter(t)
	if r := serve(t, b, "POST", "/api/v0/channels", `{"type":"webhook","name":"hook","url":"`+hook.URL+`","addToDefaultNotificationGroup":true}`); r.status != 200 {
		t.Fatalf("channel on b: %d %s", r.status, r.body)
	}
	if r := serve(t, a, "POST", "/api/v0/monitors", `{"type":"host","name":"load","metric":"loadavg5","operator":">","warning":1,"critical":3,"duration":1}`); r.status != 200 {
		t.Fatalf("monitor on a: %d %s", r.status, r.body)
	}

	post := fmt.Sprintf(`[{"hostId":%q,"name":"loadavg5","time":%d,"value":5}]`, host.ID, time.Now().Unix())
	var wg sync.WaitGroup
	for _, h := range []http.Handler{a, b} {
		wg.Go(func() {
			if r := serve(t, h, "POST", "/api/v0/tsdb", post); r.status != 200 {
				t.Errorf("post: %d %s", r.status, r.body)
			}
		})
	}
	wg.Wait()

	for deadline := time.Now().Add(30 * time.Second); len(hook.received()) == 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	// Both replicas' loops get a few more rounds to send a second one.
	time.Sleep(3 * time.Second)
	if got := hook.received(); len(got) != 1 || !strings.HasSuffix(got[0], " critical") {
		t.Fatalf("the receiver got %q; want one critical notification", got)
	}
	for i, h := range []http.Handler{a, b} {
		var alerts struct{ Alerts []struct{ ID, Status string } }
		mustDecode(t, serve(t, h, "GET", "/api/v0/alerts", ""), &alerts)
		if len(alerts.Alerts) != 1 || alerts.Alerts[0].Status != "CRITICAL" {
			t.Errorf("replica %d: open alerts %+v; want one CRITICAL", i, alerts.Alerts)
		}
	}
	l, err := rs[0].Store().Lease(context.Background(), backend.MonitoringLease)
	if err != nil || l == nil {
		t.Fatalf("monitoring lease = %v, %v; want a holder", l, err)
	}
}

// 50 concurrent creates of hosts and of monitors and 20 concurrent metric
// streams, spread over two replicas: every one stored exactly once.
func TestReplicasConcurrentWrites(t *testing.T) {
	rs := openReplicas(t, 2, true)
	hs := []http.Handler{rs[0].Handler(), rs[1].Handler()}
	if r := serve(t, hs[0], "POST", "/api/v0/services", `{"name":"blog"}`); r.status != 200 {
		t.Fatalf("service: %d %s", r.status, r.body)
	}

	const creates, streams, batches, perBatch = 50, 20, 10, 300
	var wg sync.WaitGroup
	hostIDs := make([]string, creates)
	for i := range creates {
		wg.Go(func() {
			var out struct{ ID string }
			r := serve(t, hs[i%2], "POST", "/api/v0/hosts", fmt.Sprintf(`{"name":"host%02d","meta":{}}`, i))
			if r.status != 200 || json.Unmarshal(r.body, &out) != nil {
				t.Errorf("host %d: %d %s", i, r.status, r.body)
			}
			hostIDs[i] = out.ID
		})
		wg.Go(func() {
			body := fmt.Sprintf(`{"type":"host","name":"m%02d","metric":"custom.m%d","operator":">","warning":1e9,"duration":1}`, i, i)
			if r := serve(t, hs[(i+1)%2], "POST", "/api/v0/monitors", body); r.status != 200 {
				t.Errorf("monitor %d: %d %s", i, r.status, r.body)
			}
		})
	}
	start := time.Now().Add(-time.Hour).Unix()
	for s := range streams {
		wg.Go(func() {
			// A stream alternates replicas, as a load balancer would send
			// its successive posts.
			for n := range batches {
				var sb strings.Builder
				sb.WriteByte('[')
				for k := range perBatch {
					if k > 0 {
						sb.WriteByte(',')
					}
					fmt.Fprintf(&sb, `{"name":"stream.s%02d","time":%d,"value":%d}`, s, start+int64(n*perBatch+k), n*perBatch+k)
				}
				sb.WriteByte(']')
				if r := serve(t, hs[(s+n)%2], "POST", "/api/v0/services/blog/tsdb", sb.String()); r.status != 200 {
					t.Errorf("stream %d batch %d: %d %s", s, n, r.status, r.body)
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}

	st := rs[1].Store()
	ctx := context.Background()
	hosts, err := st.ListHosts(ctx, store.HostFilter{})
	if err != nil || len(hosts) != creates {
		t.Fatalf("%d hosts stored (%v); want %d", len(hosts), err, creates)
	}
	names := map[string]int{}
	for _, h := range hosts {
		names[h.Name]++
	}
	for i := range creates {
		if n := names[fmt.Sprintf("host%02d", i)]; n != 1 {
			t.Errorf("host%02d stored %d times", i, n)
		}
	}
	monitors, err := st.ListMonitors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mnames := map[string]int{}
	for _, m := range monitors {
		mnames[m.Name]++
	}
	for i := range creates {
		if n := mnames[fmt.Sprintf("m%02d", i)]; n != 1 {
			t.Errorf("monitor m%02d stored %d times", i, n)
		}
	}
	if n, err := st.CountPoints(ctx); err != nil || n != streams*batches*perBatch {
		t.Fatalf("CountPoints = %d, %v; want %d", n, err, streams*batches*perBatch)
	}
	for s := range streams {
		pts, err := st.Points(ctx, store.ServiceSeries("blog", fmt.Sprintf("stream.s%02d", s)), start, start+batches*perBatch)
		if err != nil || len(pts) != batches*perBatch {
			t.Fatalf("stream %d: %d points, %v", s, len(pts), err)
		}
		for i, p := range pts {
			if p.Time != start+int64(i) || p.Value != float64(i) {
				t.Fatalf("stream %d point %d = %+v", s, i, p)
			}
		}
	}
}

// What one replica keeps in memory never outlives another replica's
// write: a service deleted on one and re-created there takes new series
// posted through the other; an API key revoked on one is refused by the
// other at once; a monitor changed on one is evaluated with its new
// threshold by the other (the engine's parsed definitions are keyed by
// the stored body).
func TestReplicasCachesFollowOtherWrites(t *testing.T) {
	rs := openReplicas(t, 2, false)
	a, b := rs[0].Handler(), rs[1].Handler()
	ctx := context.Background()
	now := time.Now().Unix()

	serve(t, a, "POST", "/api/v0/services", `{"name":"blog"}`)
	if r := serve(t, a, "POST", "/api/v0/services/blog/tsdb", fmt.Sprintf(`[{"name":"pv","time":%d,"value":1}]`, now-60)); r.status != 200 {
		t.Fatalf("first post: %d %s", r.status, r.body)
	}
	if r := serve(t, b, "DELETE", "/api/v0/services/blog", ""); r.status != 200 {
		t.Fatalf("delete on b: %d %s", r.status, r.body)
	}
	serve(t, b, "POST", "/api/v0/services", `{"name":"blog"}`)
	if r := serve(t, a, "POST", "/api/v0/services/blog/tsdb", fmt.Sprintf(`[{"name":"pv","time":%d,"value":2}]`, now)); r.status != 200 {
		t.Fatalf("post after re-creation: %d %s", r.status, r.body)
	}
	pts, err := rs[1].Store().Points(ctx, store.ServiceSeries("blog", "pv"), now-3600, now+60)
	if err != nil || len(pts) != 1 || pts[0].Value != 2 {
		t.Fatalf("points of the re-created service read on b = %+v, %v; want only the new one", pts, err)
	}

	keyRec, key, err := rs[0].CreateAPIKey(ctx, "ci", false)
	if err != nil {
		t.Fatal(err)
	}
	authB := rs[1].AuthorizedHandler(auth.Config{})
	if r := serveKey(t, authB, key, "GET", "/api/v0/services", ""); r.status != 200 {
		t.Fatalf("b with a's key: %d", r.status)
	}
	if err := rs[0].RevokeAPIKey(ctx, keyRec.ID); err != nil {
		t.Fatal(err)
	}
	if r := serveKey(t, authB, key, "GET", "/api/v0/services", ""); r.status != 401 {
		t.Fatalf("b with a key revoked on a: %d; want 401", r.status)
	}

	var host struct{ ID string }
	mustDecode(t, serve(t, a, "POST", "/api/v0/hosts", `{"name":"web01","meta":{}}`), &host)
	var mon struct{ ID string }
	mustDecode(t, serve(t, a, "POST", "/api/v0/monitors", `{"type":"host","name":"load","metric":"loadavg5","operator":">","warning":100,"critical":200,"duration":1}`), &mon)
	postLoad := func(h http.Handler, at int64) {
		t.Helper()
		if r := serve(t, h, "POST", "/api/v0/tsdb", fmt.Sprintf(`[{"hostId":%q,"name":"loadavg5","time":%d,"value":5}]`, host.ID, at)); r.status != 200 {
			t.Fatalf("post: %d %s", r.status, r.body)
		}
	}
	postLoad(a, now-60) // a parses the monitor: 5 is fine
	if r := serve(t, b, "PUT", "/api/v0/monitors/"+mon.ID, `{"type":"host","name":"load","metric":"loadavg5","operator":">","warning":1,"critical":3,"duration":1}`); r.status != 200 {
		t.Fatalf("update on b: %d %s", r.status, r.body)
	}
	postLoad(a, now)
	var alerts struct {
		Alerts []struct{ MonitorID, Status string }
	}
	mustDecode(t, serve(t, a, "GET", "/api/v0/alerts", ""), &alerts)
	if len(alerts.Alerts) != 1 || alerts.Alerts[0].MonitorID != mon.ID || alerts.Alerts[0].Status != "CRITICAL" {
		t.Fatalf("alerts after the threshold changed on b = %+v; want one CRITICAL of %s", alerts.Alerts, mon.ID)
	}
}

// The monitoring lease moves: when its holder stops, the other replica
// takes it within a TTL and a third of it (its renewal period).
func TestReplicasLeaseMovesOnStop(t *testing.T) {
	dsn := pgtest.DSN(t)
	const ttl = time.Second
	var stops []func()
	var rs []*backend.Backend
	for range 2 {
		b, err := backend.Open(context.Background(), dsn, backend.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		rs = append(rs, b)
	}
	holder := func() string {
		l, err := rs[0].Store().Lease(context.Background(), backend.MonitoringLease)
		if err != nil {
			t.Fatal(err)
		}
		if l == nil {
			return ""
		}
		return l.Holder
	}
	stops = append(stops, rs[0].StartMonitoringWith(context.Background(), backend.MonitoringOptions{LeaseTTL: ttl}))
	var first string
	for deadline := time.Now().Add(10 * time.Second); first == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		first = holder()
	}
	if first == "" {
		t.Fatal("no replica took the monitoring lease")
	}
	stops = append(stops, rs[1].StartMonitoringWith(context.Background(), backend.MonitoringOptions{LeaseTTL: ttl}))
	defer func() { stops[1]() }()
	time.Sleep(ttl)
	if h := holder(); h != first {
		t.Fatalf("the lease moved from %s to %s while its holder ran", first, h)
	}
	moved := false
	stopped := time.Now()
	stops[0]() // releases the lease
	var second string
	for deadline := time.Now().Add(ttl + ttl/3 + time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if second = holder(); second != "" && second != first {
			moved = true
			break
		}
	}
	if !moved {
		t.Fatalf("the lease did not move within %s of its holder stopping (holder %q)", ttl+ttl/3, second)
	}
	t.Logf("lease moved %s after the holder stopped", time.Since(stopped).Round(time.Millisecond))
}
