package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/notify"
	"github.com/mkr-dev/mkr/backend/store"
)

// postLoad posts one loadavg5 point for a host at the clock's now over
// the API (local mode evaluates and delivers before answering).
func postLoad(t *testing.T, env *backendtest.Env, host string, v float64) {
	t.Helper()
	api(t, env, "POST", "/api/v0/tsdb", fmt.Sprintf(`[{"hostId":%q,"name":"loadavg5","time":%d,"value":%g}]`, host, env.Clock.Now().Unix(), v), 200)
}

func createMonitor(t *testing.T, env *backendtest.Env, body string) string {
	t.Helper()
	var out struct{ ID string }
	json.Unmarshal(api(t, env, "POST", "/api/v0/monitors", body, 200), &out)
	return out.ID
}

// Local mode: a monitor opens an alert from metrics posted over the API,
// and the post itself delivers the webhook (no daemon).
func TestLocalModeDeliversOnIngest(t *testing.T) {
	env := backendtest.New(t)
	rcv := newReceiver(t)
	createChannel(t, env, `{"type":"webhook","name":"hook","url":"`+rcv.URL+`","addToDefaultNotificationGroup":true}`)
	host := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	createMonitor(t, env, `{"type":"host","name":"load","metric":"loadavg5","operator":">","warning":1.5,"critical":3,"duration":1}`)

	postLoad(t, env, host, 2.256)
	got := rcv.received()
	if len(got) != 1 {
		t.Fatalf("receiver got %d requests after the post, want 1", len(got))
	}
	b := got[0].Body
	for path, want := range map[string]any{"type": "host", "message": "loadavg5 2.26 > 1.50", "alert.status": "warning",
		"alert.metricLabel": "loadavg5", "alert.metricValue": 2.256, "alert.warningThreshold": 1.5, "alert.criticalThreshold": 3.0,
		"alert.monitorOperator": ">", "alert.duration": 1.0, "alert.monitorName": "load"} {
		if got := field(b, splitPath(path)...); got != want {
			t.Errorf("%s = %#v, want %#v", path, got, want)
		}
	}
	env.Clock.Advance(time.Minute)
	postLoad(t, env, host, 2.0) // still WARNING: no change, nothing sent
	if n := len(rcv.received()); n != 1 {
		t.Fatalf("an unchanged status was notified: %d requests", n)
	}
}

// What must not notify: a muted monitor, a monitor in a downtime (no alert
// at all), a WARNING for a critical-only group, a standby host.
func TestNothingSent(t *testing.T) {
	env := backendtest.New(t)
	rcv := newReceiver(t)
	hook := createChannel(t, env, `{"type":"webhook","name":"hook","url":"`+rcv.URL+`"}`)
	crit := createChannel(t, env, `{"type":"webhook","name":"crit","url":"`+rcv.URL+`/crit"}`)
	api(t, env, "PUT", "/api/v0/notification-groups/"+defaultGroup(t, env), `{"name":"Default","notificationLevel":"all","childChannelIds":["`+hook+`"]}`, 200)
	web := env.MustCreateHost(t, store.NewHost{Name: "web01", Roles: []store.RoleRef{{Service: "shop", Role: "app"}}})
	standby := env.MustCreateHost(t, store.NewHost{Name: "spare", Status: "standby"})
	muted := createMonitor(t, env, `{"type":"host","name":"muted","metric":"loadavg5","operator":">","warning":1,"critical":3,"duration":1,"isMute":true,"scopes":["shop"]}`)
	quiet := createMonitor(t, env, `{"type":"host","name":"quiet","metric":"loadavg5","operator":">","warning":1,"critical":3,"duration":1,"scopes":["shop"]}`)
	paged := createMonitor(t, env, `{"type":"host","name":"paged","metric":"loadavg5","operator":">","warning":1,"critical":3,"duration":1,"scopes":["shop"]}`)
	api(t, env, "POST", "/api/v0/notification-groups", `{"name":"pager","notificationLevel":"critical","childChannelIds":["`+crit+`"],"monitors":[{"id":"`+paged+`","skipDefault":true}]}`, 200)
	api(t, env, "POST", "/api/v0/downtimes", fmt.Sprintf(`{"name":"maint","start":%d,"duration":60,"monitorScopes":["%s"]}`, env.Clock.Now().Unix()-60, quiet), 200)

	postLoad(t, env, web, 2) // muted: alert, no notification; quiet: no alert; paged: WARNING to a critical-only group
	report(t, env, standby, "disk", "CRITICAL", "full")
	mustRunOnce(t, notify.New(env.Store, notify.Options{}).RunOnce)
	if got := rcv.received(); len(got) != 0 {
		t.Fatalf("sent %d notifications, want none: %s", len(got), got[0].Raw)
	}
	var alerts struct {
		Alerts []struct{ MonitorID, Status string }
	}
	json.Unmarshal(api(t, env, "GET", "/api/v0/alerts", "", 200), &alerts)
	open := map[string]string{}
	for _, a := range alerts.Alerts {
		open[a.MonitorID] = a.Status
	}
	if open[muted] != "WARNING" || open[paged] != "WARNING" || open[quiet] != "" {
		t.Fatalf("open alerts by monitor = %v: want muted and paged WARNING, none for the monitor in downtime", open)
	}

	env.Clock.Advance(time.Minute)
	postLoad(t, env, web, 4) // paged turns CRITICAL: its group only (skipDefault)
	mustRunOnce(t, notify.New(env.Store, notify.Options{}).RunOnce)
	got := rcv.received()
	if len(got) != 1 || field(got[0].Body, "alert", "monitorName") != "paged" {
		t.Fatalf("after CRITICAL: %d requests", len(got))
	}
	if field(got[0].Body, "alert", "status") != "critical" {
		t.Errorf("status %v", field(got[0].Body, "alert", "status"))
	}
}

// defaultGroup returns the default notification group's id.
func defaultGroup(t *testing.T, env *backendtest.Env) string {
	t.Helper()
	var out struct {
		NotificationGroups []struct{ ID, Type string }
	}
	json.Unmarshal(api(t, env, "GET", "/api/v0/notification-groups", "", 200), &out)
	for _, g := range out.NotificationGroups {
		if g.Type == "group-default" {
			return g.ID
		}
	}
	t.Fatal("no default group")
	return ""
}

// Under mkr serve the background loop delivers an alert opened by posted
// metrics, with no further request.
func TestServeLoopDelivers(t *testing.T) {
	env := backendtest.New(t)
	rcv := newReceiver(t)
	createChannel(t, env, `{"type":"webhook","name":"hook","url":"`+rcv.URL+`","addToDefaultNotificationGroup":true}`)
	host := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	createMonitor(t, env, `{"type":"host","name":"load","metric":"loadavg5","operator":">","warning":1,"critical":3,"duration":1}`)
	ctx, cancel := context.WithCancel(context.Background())
	stop := env.Backend.StartMonitoringWith(ctx, backend.MonitoringOptions{Interval: time.Hour})
	defer func() { cancel(); stop() }()

	postLoad(t, env, host, 5)
	deadline := time.Now().Add(20 * time.Second)
	for len(rcv.received()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	got := rcv.received()
	if len(got) != 1 || field(got[0].Body, "alert", "status") != "critical" {
		t.Fatalf("serve delivered %d notifications", len(got))
	}
}

// POST /api/v0/channels/<id>/test sends a test notification now and
// answers what the receiver said; the client's TestChannel reads it.
func TestChannelTestEndpoint(t *testing.T) {
	env := backendtest.New(t)
	rcv := newReceiver(t)
	hook := createChannel(t, env, `{"type":"webhook","name":"hook","url":"`+rcv.URL+`","events":["hostRegister"]}`)
	mail := createChannel(t, env, `{"type":"email","name":"mail","emails":["a@example.com"]}`)

	res, err := env.Client.TestChannel(context.Background(), hook)
	if err != nil || !res.Success || res.Status != 200 || res.Response != "answer OK" {
		t.Fatalf("TestChannel = %+v, %v", res, err)
	}
	got := rcv.received()
	if len(got) != 1 || got[0].Body["isTest"] != true || got[0].Body["event"] != "alert" || !strings.HasPrefix(got[0].Header.Get(notify.DeliveryIDHeader), "test-") {
		t.Fatalf("receiver got %v", got)
	}
	if ds := deliveries(t, env.Store); len(ds) != 0 {
		t.Errorf("a test notification stored deliveries: %v", ds)
	}

	rcv.status.Store(500)
	res, err = env.Client.TestChannel(context.Background(), hook)
	if err != nil || res.Success || res.Status != 500 || res.Response != "answer Internal Server Error" || res.Error != "the receiver answered 500 Internal Server Error" {
		t.Errorf("TestChannel of a failing receiver = %+v, %v", res, err)
	}
	body := api(t, env, "POST", "/api/v0/channels/"+mail+"/test", "", 400)
	if !strings.Contains(string(body), "No SMTP relay is configured") {
		t.Errorf("email without a relay = %s", body)
	}
	api(t, env, "POST", "/api/v0/channels/nope/test", "", 404)
}
