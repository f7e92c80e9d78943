package notify_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/notify"
	"github.com/mkr-dev/mkr/backend/store"
)

// A check alert opens and closes: the webhook in the default group gets
// one POST per change, with Mackerel's fields and a delivery id in a
// header and the body; running again sends nothing more.
func TestWebhookOnePerChange(t *testing.T) {
	env := backendtest.New(t)
	rcv := newReceiver(t)
	createChannel(t, env, `{"type":"webhook","name":"hook","url":"`+rcv.URL+`","events":["alert"],"addToDefaultNotificationGroup":true}`)
	host := env.MustCreateHost(t, store.NewHost{Name: "web01", Memo: "front", Roles: []store.RoleRef{{Service: "shop", Role: "app"}}})
	d := notify.New(env.Store, notify.Options{Version: "1.2.3"})

	report(t, env, host, "disk", "CRITICAL", "disk full")
	mustRunOnce(t, d.RunOnce)
	mustRunOnce(t, d.RunOnce)
	got := rcv.received()
	if len(got) != 1 {
		t.Fatalf("receiver got %d requests, want 1", len(got))
	}
	r := got[0]
	id := r.Header.Get(notify.DeliveryIDHeader)
	if id == "" || r.Body["deliveryId"] != id {
		t.Errorf("delivery id header %q, body %v", id, r.Body["deliveryId"])
	}
	if ct, ua := r.Header.Get("Content-Type"), r.Header.Get("User-Agent"); ct != "application/json" || ua != "mkr/1.2.3" {
		t.Errorf("Content-Type %q, User-Agent %q", ct, ua)
	}
	epoch := float64(backendtest.Epoch.Unix())
	for path, want := range map[string]any{
		"orgName": "local", "event": "alert", "type": "check", "message": "disk full",
		"host.name": "web01", "host.id": host, "host.status": "working", "host.memo": "front", "host.isRetired": false,
		"alert.status": "critical", "alert.isOpen": true, "alert.trigger": "monitor", "alert.monitorName": "disk",
		"alert.openedAt": epoch, "alert.statusChangedAt": epoch, "alert.createdAt": epoch * 1000,
	} {
		if got := field(r.Body, splitPath(path)...); got != want {
			t.Errorf("%s = %#v, want %#v", path, got, want)
		}
	}
	if want := `"roles":[{"fullname":"shop: app","serviceName":"shop","roleName":"app"}]`; !strings.Contains(r.Raw, want) {
		t.Errorf("body %s lacks %s", r.Raw, want)
	}
	if _, ok := r.Body["alert"].(map[string]any)["closedAt"]; ok {
		t.Error("an open alert has closedAt")
	}

	env.Clock.Advance(time.Minute)
	report(t, env, host, "disk", "OK", "disk fine")
	mustRunOnce(t, d.RunOnce)
	got = rcv.received()
	if len(got) != 2 {
		t.Fatalf("receiver got %d requests after the recovery, want 2", len(got))
	}
	ok := got[1].Body
	if field(ok, "alert", "status") != "ok" || field(ok, "alert", "isOpen") != false || field(ok, "alert", "closedAt") != epoch+60 {
		t.Errorf("recovery: alert = %v", ok["alert"])
	}
	if got[1].Header.Get(notify.DeliveryIDHeader) == id {
		t.Error("two changes share a delivery id")
	}
	for _, dl := range deliveries(t, env.Store) {
		if dl.Status != store.DeliverySent || dl.Attempts != 0 {
			t.Errorf("delivery %+v, want sent at the first attempt", dl)
		}
	}
}

func splitPath(p string) []string {
	var out []string
	start := 0
	for i := range len(p) {
		if p[i] == '.' {
			out = append(out, p[start:i])
			start = i + 1
		}
	}
	return append(out, p[start:])
}

// A receiver answering 500 is retried after 30 s, 60 s, … with the same
// delivery id; after the last attempt the delivery fails and the channel
// is suspended, so later alerts are not routed to it; updating the
// channel lifts the suspension.
func TestRetryBackoffAndSuspension(t *testing.T) {
	env := backendtest.New(t)
	rcv := newReceiver(t)
	rcv.status.Store(http.StatusInternalServerError)
	ch := createChannel(t, env, `{"type":"webhook","name":"hook","url":"`+rcv.URL+`","addToDefaultNotificationGroup":true}`)
	host := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	d := notify.New(env.Store, notify.Options{Backoff: 30 * time.Second, MaxAttempts: 3})

	report(t, env, host, "disk", "CRITICAL", "disk full")
	mustRunOnce(t, d.RunOnce)
	if n := len(rcv.received()); n != 1 {
		t.Fatalf("first pass: %d requests", n)
	}
	dl := deliveries(t, env.Store)[0]
	start := backendtest.Epoch.Unix()
	if dl.Status != store.DeliveryPending || dl.Attempts != 1 || dl.NextAt != start+30 || dl.LastError != "the receiver answered 500 Internal Server Error" {
		t.Fatalf("after a 500: %+v", dl)
	}
	env.Clock.Advance(29 * time.Second)
	mustRunOnce(t, d.RunOnce)
	if n := len(rcv.received()); n != 1 {
		t.Fatalf("retried before its time: %d requests", n)
	}
	env.Clock.Advance(time.Second)
	mustRunOnce(t, d.RunOnce)
	if dl := deliveries(t, env.Store)[0]; len(rcv.received()) != 2 || dl.Attempts != 2 || dl.NextAt != start+30+60 {
		t.Fatalf("second attempt: %d requests, %+v", len(rcv.received()), dl)
	}
	env.Clock.Advance(60 * time.Second)
	mustRunOnce(t, d.RunOnce)
	if dl := deliveries(t, env.Store)[0]; len(rcv.received()) != 3 || dl.Status != store.DeliveryFailed || dl.Attempts != 3 {
		t.Fatalf("last attempt: %d requests, %+v", len(rcv.received()), dl)
	}
	for _, r := range rcv.received() {
		if r.Header.Get(notify.DeliveryIDHeader) != dl.ID {
			t.Errorf("attempt with delivery id %q, want %q", r.Header.Get(notify.DeliveryIDHeader), dl.ID)
		}
	}
	sc, err := env.Store.GetChannel(context.Background(), ch)
	if err != nil || sc.SuspendedAt != env.Clock.Now().Unix() {
		t.Fatalf("channel after the last failure: %+v, %v", sc, err)
	}
	var listed struct {
		Channels []struct{ SuspendedAt *int64 }
	}
	json.Unmarshal(api(t, env, "GET", "/api/v0/channels", "", 200), &listed)
	if len(listed.Channels) != 1 || listed.Channels[0].SuspendedAt == nil {
		t.Fatalf("GET /channels does not show the suspension: %+v", listed)
	}

	// Suspended: a new change is not sent (not even routed).
	rcv.status.Store(http.StatusOK)
	env.Clock.Advance(time.Hour)
	report(t, env, host, "disk", "OK", "fine")
	mustRunOnce(t, d.RunOnce)
	if n := len(rcv.received()); n != 3 {
		t.Fatalf("a suspended channel got %d requests, want 3", n)
	}
	// Updating the channel lifts the suspension.
	api(t, env, "PUT", "/api/v0/channels/"+ch, `{"type":"webhook","name":"hook","url":"`+rcv.URL+`"}`, 200)
	report(t, env, host, "disk", "WARNING", "filling")
	mustRunOnce(t, d.RunOnce)
	got := rcv.received()
	if len(got) != 4 || field(got[3].Body, "alert", "status") != "warning" {
		t.Fatalf("after the update: %d requests", len(got))
	}
}

// A receiver that does not answer within the timeout is retried, and
// later deliveries to the same channel in the batch wait with it rather
// than time out one after another.
func TestTimeoutRetried(t *testing.T) {
	env := backendtest.New(t)
	rcv := newReceiver(t)
	rcv.stall.Store(true)
	createChannel(t, env, `{"type":"webhook","name":"hook","url":"`+rcv.URL+`","addToDefaultNotificationGroup":true}`)
	h1 := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	h2 := env.MustCreateHost(t, store.NewHost{Name: "web02"})
	d := notify.New(env.Store, notify.Options{Timeout: 200 * time.Millisecond})

	report(t, env, h1, "disk", "CRITICAL", "full")
	report(t, env, h2, "disk", "CRITICAL", "full")
	mustRunOnce(t, d.RunOnce)
	if n := len(rcv.received()); n != 1 {
		t.Fatalf("stalled receiver got %d requests, want 1 (the second waits)", n)
	}
	ds := deliveries(t, env.Store)
	if ds[0].Attempts != 1 || ds[0].LastError != "timed out" || ds[1].Attempts != 0 || ds[1].Status != store.DeliveryPending {
		t.Fatalf("after a timeout: %+v / %+v", ds[0], ds[1])
	}
	rcv.stall.Store(false)
	env.Clock.Advance(30 * time.Second)
	mustRunOnce(t, d.RunOnce)
	got := rcv.received()
	if len(got) != 3 || got[1].Header.Get(notify.DeliveryIDHeader) != ds[0].ID || got[2].Header.Get(notify.DeliveryIDHeader) != ds[1].ID {
		t.Fatalf("after the receiver came back: %d requests", len(got))
	}
}

// Deliveries survive a restart: a pending retry and events never routed
// are sent by a new backend on the same file, each once.
func TestResumeAfterRestart(t *testing.T) {
	path := t.TempDir() + "/mkr.db"
	rcv := newReceiver(t)
	rcv.status.Store(http.StatusServiceUnavailable)
	var host string
	{
		env := backendtest.NewWithOptions(t, backendtest.Options{Path: path})
		createChannel(t, env, `{"type":"webhook","name":"hook","url":"`+rcv.URL+`","addToDefaultNotificationGroup":true}`)
		host = env.MustCreateHost(t, store.NewHost{Name: "web01"})
		report(t, env, host, "disk", "CRITICAL", "full")
		mustRunOnce(t, notify.New(env.Store, notify.Options{}).RunOnce) // fails once, stays pending
		report(t, env, host, "load", "WARNING", "busy")                 // never routed
		if err := env.Store.Close(); err != nil {
			t.Fatal(err)
		}
	}
	rcv.status.Store(http.StatusOK)
	clock := backendtest.NewClock(backendtest.Epoch.Add(time.Minute))
	st := backendtest.MustOpenStore(t, path, clock)
	d := notify.New(st, notify.Options{})
	mustRunOnce(t, d.RunOnce)
	mustRunOnce(t, d.RunOnce)
	got := rcv.received()
	if len(got) != 3 {
		t.Fatalf("receiver got %d requests, want 3 (one failed, then both changes once)", len(got))
	}
	if got[0].Header.Get(notify.DeliveryIDHeader) != got[1].Header.Get(notify.DeliveryIDHeader) {
		t.Error("the retry after the restart has another delivery id")
	}
	if field(got[2].Body, "alert", "monitorName") != "load" {
		t.Errorf("the unrouted event: %v", got[2].Body["alert"])
	}
}

// Two dispatchers on one database file (serve and a local command) never
// send one delivery twice.
func TestTwoDispatchersSendOnce(t *testing.T) {
	env := backendtest.New(t)
	rcv := newReceiver(t)
	createChannel(t, env, `{"type":"webhook","name":"hook","url":"`+rcv.URL+`","addToDefaultNotificationGroup":true}`)
	var hosts []string
	for i := range 20 {
		hosts = append(hosts, env.MustCreateHost(t, store.NewHost{Name: "h" + string(rune('a'+i))}))
	}
	other := backendtest.MustOpenStore(t, env.Path, env.Clock)
	d1 := notify.New(env.Store, notify.Options{BatchSize: 3})
	d2 := notify.New(other, notify.Options{BatchSize: 3})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	for _, d := range []*notify.Dispatcher{d1, d2} {
		go func() {
			defer func() { done <- struct{}{} }()
			for ctx.Err() == nil {
				if err := d.RunOnce(ctx); err != nil && ctx.Err() == nil {
					t.Error(err)
				}
			}
		}()
	}
	for _, h := range hosts {
		report(t, env, h, "disk", "CRITICAL", "full")
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(rcv.received()) < len(hosts) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // room for a duplicate to show up
	cancel()
	<-done
	<-done
	seen := map[string]int{}
	for _, r := range rcv.received() {
		seen[r.Header.Get(notify.DeliveryIDHeader)]++
	}
	if len(seen) != len(hosts) || len(rcv.received()) != len(hosts) {
		t.Fatalf("%d requests for %d distinct deliveries, want %d each once", len(rcv.received()), len(seen), len(hosts))
	}
}
