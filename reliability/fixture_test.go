package reliability_test

// The fixture every test here starts from: a database holding one of each
// resource a route can name (a host with a custom identifier in service
// web, role app; metadata on all three; host and service points; a graph
// definition; an annotation; an open check alert; a host monitor; a
// downtime; a channel, a notification group and an alert group setting). It is seeded once per
// test process through the real handler and copied into a fresh Env for
// each case, which is much cheaper than migrating and seeding again (and
// keeps fuzzing reproducible: every input meets the same database).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
)

// epoch is the fixture's (and every Env's) clock, in epoch seconds.
var epoch = backendtest.Epoch.Unix()

// fixture is the seeded template database and the ids in it.
type fixture struct {
	db []byte // the database file, WAL checkpointed into it
	// ids of the seeded resources, by placeholder name: {host}, {alert},
	// {monitor} (the check monitor), {hostMonitor} (a host monitor),
	// {anomalyMonitor} (an anomalyDetection monitor),
	// {annotation}, {downtime}, {channel}, {group}, {defaultGroup},
	// {alertGroupSetting}; also {epoch}.
	ids map[string]string
}

// expand replaces the fixture's placeholders in s.
func (fx *fixture) expand(s string) string {
	pairs := make([]string, 0, 2*len(fx.ids))
	for k, v := range fx.ids {
		pairs = append(pairs, "{"+k+"}", v)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

var loadFixture = sync.OnceValues(seedFixture)

// mustFixture returns the process's fixture, seeding it on first use.
func mustFixture(tb testing.TB) *fixture {
	tb.Helper()
	fx, err := loadFixture()
	if err != nil {
		tb.Fatalf("seeding the fixture database: %v", err)
	}
	return fx
}

// newEnv returns a backend on a fresh copy of the fixture database.
func newEnv(tb testing.TB, fx *fixture) *backendtest.Env {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "mkr.db")
	if err := os.WriteFile(path, fx.db, 0o600); err != nil {
		tb.Fatal(err)
	}
	return backendtest.NewWithOptions(tb, backendtest.Options{Path: path})
}

func seedFixture() (*fixture, error) {
	dir, err := os.MkdirTemp("", "mkr-reliability")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "mkr.db")
	clock := backendtest.NewClock(backendtest.Epoch)
	st, err := sqlite.Open(context.Background(), path, store.Options{Now: clock.Now})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	h := backend.New(st, backend.Options{}).Handler()
	fx := &fixture{ids: map[string]string{"epoch": fmt.Sprint(epoch)}}
	call := func(method, path, body string, out any) error {
		resp := serve(h, newRequest(method, fx.expand(path), "application/json", []byte(fx.expand(body))))
		if resp.status != http.StatusOK {
			return fmt.Errorf("%s %s: %d %s", method, path, resp.status, resp.body)
		}
		if out != nil {
			return json.Unmarshal(resp.body, out)
		}
		return nil
	}

	var host struct{ ID string }
	if err := call("POST", "/api/v0/hosts", `{"name":"web01","customIdentifier":"ci-web01","roleFullnames":["web:app"]}`, &host); err != nil {
		return nil, err
	}
	fx.ids["host"] = host.ID
	steps := []struct{ method, path, body string }{
		{"PUT", "/api/v0/hosts/{host}/metadata/ns", `{"a":1}`},
		{"PUT", "/api/v0/services/web/metadata/ns", `{"a":1}`},
		{"PUT", "/api/v0/services/web/roles/app/metadata/ns", `{"a":1}`},
		{"POST", "/api/v0/tsdb", `[{"hostId":"{host}","name":"custom.cpu.user","time":{epoch},"value":1}]`},
		{"POST", "/api/v0/services/web/tsdb", `[{"name":"req.count","time":{epoch},"value":1}]`},
		{"POST", "/api/v0/graph-defs/create", `[{"name":"custom.cpu","displayName":"CPU","unit":"percentage","metrics":[{"name":"custom.cpu.user","displayName":"user","isStacked":false}]}]`},
		{"POST", "/api/v0/monitoring/checks/report", `{"reports":[{"source":{"type":"host","hostId":"{host}"},"name":"disk","status":"CRITICAL","message":"full","occurredAt":{epoch},"maxCheckAttempts":1}]}`},
	}
	for _, s := range steps {
		if err := call(s.method, s.path, s.body, nil); err != nil {
			return nil, err
		}
	}
	var mon struct{ ID string }
	if err := call("POST", "/api/v0/monitors", `{"type":"host","name":"load","metric":"loadavg5","operator":">","warning":1,"duration":1,"scopes":["web: app"]}`, &mon); err != nil {
		return nil, err
	}
	fx.ids["hostMonitor"] = mon.ID
	var anomalyMon struct{ ID string }
	if err := call("POST", "/api/v0/monitors", `{"type":"anomalyDetection","name":"roles","scopes":["web: app"],"warningSensitivity":"normal"}`, &anomalyMon); err != nil {
		return nil, err
	}
	fx.ids["anomalyMonitor"] = anomalyMon.ID
	// A downtime in 2100: it names things, yet silences nothing here.
	var dt struct{ ID string }
	if err := call("POST", "/api/v0/downtimes", `{"name":"maintenance","start":4102444800,"duration":60,"roleScopes":["web: app"],"monitorScopes":["{hostMonitor}"]}`, &dt); err != nil {
		return nil, err
	}
	fx.ids["downtime"] = dt.ID
	// A webhook channel in the default group, a notification group
	// naming it and the host monitor, and an alert group setting.
	var ch, group, ags struct{ ID string }
	if err := call("POST", "/api/v0/channels", `{"type":"webhook","name":"hook","url":"http://127.0.0.1:9/hook","addToDefaultNotificationGroup":true}`, &ch); err != nil {
		return nil, err
	}
	fx.ids["channel"] = ch.ID
	if err := call("POST", "/api/v0/notification-groups", `{"name":"team","childChannelIds":["{channel}"],"monitors":[{"id":"{hostMonitor}","skipDefault":false}],"services":[{"name":"web"}]}`, &group); err != nil {
		return nil, err
	}
	fx.ids["group"] = group.ID
	var groups struct{ NotificationGroups []struct{ ID, Type string } }
	if err := call("GET", "/api/v0/notification-groups", "", &groups); err != nil {
		return nil, err
	}
	if len(groups.NotificationGroups) != 2 || groups.NotificationGroups[0].Type != "group-default" {
		return nil, fmt.Errorf("want the default group and one other, got %+v", groups)
	}
	fx.ids["defaultGroup"] = groups.NotificationGroups[0].ID
	if err := call("POST", "/api/v0/alert-group-settings", `{"name":"web","serviceScopes":["web"],"monitorScopes":["{hostMonitor}"]}`, &ags); err != nil {
		return nil, err
	}
	fx.ids["alertGroupSetting"] = ags.ID
	var ann struct{ ID string }
	if err := call("POST", "/api/v0/graph-annotations", `{"title":"deploy","service":"web","from":{epoch},"to":{epoch}}`, &ann); err != nil {
		return nil, err
	}
	fx.ids["annotation"] = ann.ID
	var alerts struct{ Alerts []struct{ ID string } }
	if err := call("GET", "/api/v0/alerts", "", &alerts); err != nil {
		return nil, err
	}
	var monitors struct{ Checks []struct{ ID string } }
	if err := call("GET", "/api/v0/monitoring/checks", "", &monitors); err != nil {
		return nil, err
	}
	if len(alerts.Alerts) != 1 || len(monitors.Checks) != 1 {
		return nil, fmt.Errorf("want one alert and one check monitor, got %+v and %+v", alerts, monitors)
	}
	fx.ids["alert"], fx.ids["monitor"] = alerts.Alerts[0].ID, monitors.Checks[0].ID

	// A member besides the owner (no API adds one: invitations are never
	// accepted here), an invitation and an AWS integration setting.
	fx.ids["member"] = "member0user"
	if err := st.AddUser(context.Background(), &store.User{ID: fx.ids["member"], ScreenName: "ann", Email: "ann@example.com", Authority: "manager", JoinedAt: epoch}); err != nil {
		return nil, err
	}
	if err := call("POST", "/api/v0/invitations", `{"email":"invited@example.com","authority":"viewer"}`, nil); err != nil {
		return nil, err
	}
	var aws struct{ ID string }
	if err := call("POST", "/api/v0/aws-integrations", `{"name":"prod","memo":"","key":"AKIA","secretKey":"s","region":"ap-northeast-1","includedTags":"","excludedTags":"","services":{"EC2":{"enable":true,"role":"web: app","excludedMetrics":["ec2.cpu.used"],"retireAutomatically":true}}}`, &aws); err != nil {
		return nil, err
	}
	fx.ids["awsIntegration"] = aws.ID

	// A dashboard of every widget type (its alertStatus and role graph
	// name the role the services rows delete).
	var dash struct{ ID string }
	if err := call("POST", "/api/v0/dashboards", `{"title":"ops","urlPath":"ops","memo":"m","widgets":[{"type":"markdown","title":"m","markdown":"# hi","layout":{"x":0,"y":0,"width":24,"height":2}},{"type":"graph","title":"g","graph":{"type":"role","roleFullname":"web:app","name":"custom.cpu.user"},"valueRange":{"max":10},"layout":{"x":0,"y":2,"width":8,"height":6}},{"type":"value","title":"v","metric":{"type":"service","serviceName":"web","name":"req.count"},"fractionSize":1,"suffix":"/s","formatRules":[{"name":"hi","threshold":5,"operator":">"}],"layout":{"x":8,"y":2,"width":4,"height":4}},{"type":"alertStatus","title":"a","roleFullname":"web:app","layout":{"x":12,"y":2,"width":4,"height":3}}]}`, &dash); err != nil {
		return nil, err
	}
	fx.ids["dashboard"] = dash.ID

	// Closing checkpoints the WAL into the file, which is then complete.
	if err := st.Close(); err != nil {
		return nil, err
	}
	if fx.db, err = os.ReadFile(path); err != nil {
		return nil, err
	}
	return fx, nil
}

// response is what a handler answered.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) String() string { return fmt.Sprintf("%d %s", r.status, r.body) }

// newRequest builds a request to a loopback server; contentType is only
// set when not empty.
func newRequest(method, target, contentType string, body []byte) *http.Request {
	r := httptest.NewRequest(method, "http://127.0.0.1:8080"+target, bytes.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

// serve runs r through h in process.
func serve(h http.Handler, r *http.Request) response {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: body}
}

// errorMessage returns the message of a Mackerel error body
// ({"error":{"message":"…"}} and nothing else), or an error saying how the
// body is not one.
func errorMessage(body []byte) (string, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return "", fmt.Errorf("not a JSON object: %v", err)
	}
	var inner map[string]json.RawMessage
	if len(top) != 1 || json.Unmarshal(top["error"], &inner) != nil || len(inner) != 1 {
		return "", fmt.Errorf(`not {"error":{"message":…}}`)
	}
	var msg string
	if err := json.Unmarshal(inner["message"], &msg); err != nil || msg == "" {
		return "", fmt.Errorf("error.message is not a non-empty string")
	}
	return msg, nil
}
