package backend_test

// mackerel-client-go v0.46.0 against /api/v0/monitors over a loopback
// server: every one of the seven types created, read, listed, updated and
// deleted as the official client sends and decodes them, and the exact
// bytes the backend answers for each.

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

func pf(f float64) *float64 { return &f }
func pu(n uint64) *uint64   { return &n }
func pi(n int) *int         { return &n }

// monitorEnv is a backend with service web (roles app, db) and the
// official client pointed at it.
func monitorEnv(t *testing.T) (*backendtest.Env, *mackerel.Client) {
	t.Helper()
	env := backendtest.New(t)
	env.MustCreateService(t, "web", "app", "db")
	return env, mustMackerel(t, env)
}

// sevenMonitors is one monitor of each type as a client would post it
// (created out of the list order), with what the client decodes back once
// the server has filled in its id and defaults, and the exact answer of
// GET /api/v0/monitors/<id> ({id} for the id).
func sevenMonitors() []struct {
	in, want mackerel.Monitor
	wire     string
} {
	return []struct {
		in, want mackerel.Monitor
		wire     string
	}{
		{
			in: &mackerel.MonitorQuery{Type: "query", Name: "labels", Query: "container.cpu.utilization{k8s.pod=\"a\"}",
				Operator: ">", Warning: pf(30), Legend: "{{k8s.pod}}"},
			want: &mackerel.MonitorQuery{Type: "query", Name: "labels", Query: "container.cpu.utilization{k8s.pod=\"a\"}",
				Operator: ">", Warning: pf(30), Legend: "{{k8s.pod}}"},
			wire: `{"id":"{id}","name":"labels","type":"query","isMute":false,"query":"container.cpu.utilization{k8s.pod=\"a\"}","operator":">","warning":30,"critical":null,"legend":"{{k8s.pod}}"}`,
		},
		{
			in: &mackerel.MonitorHostMetric{Type: "host", Name: "cpu", Memo: "CPU <high> & busy", Metric: "cpu%", Operator: ">",
				Warning: pf(80), Critical: pf(95.5), Duration: 3, NotificationInterval: 60,
				Scopes: []string{"web"}, ExcludeScopes: []string{"web: db"}},
			want: &mackerel.MonitorHostMetric{Type: "host", Name: "cpu", Memo: "CPU <high> & busy", Metric: "cpu%", Operator: ">",
				Warning: pf(80), Critical: pf(95.5), Duration: 3, MaxCheckAttempts: 1, NotificationInterval: 60,
				Scopes: []string{"web"}, ExcludeScopes: []string{"web: db"}},
			wire: `{"id":"{id}","name":"cpu","memo":"CPU <high> & busy","type":"host","isMute":false,"notificationInterval":60,"metric":"cpu%","operator":">","warning":80,"critical":95.5,"duration":3,"maxCheckAttempts":1,"scopes":["web"],"excludeScopes":["web: db"]}`,
		},
		{
			in: &mackerel.MonitorExternalHTTP{Type: "external", Name: "site", URL: "https://example.com/health?a=1&b=2",
				Service: "web", ResponseTimeWarning: pf(500), ResponseTimeCritical: pf(1000), ResponseTimeDuration: pu(5),
				CertificationExpirationWarning: pu(30), CertificationExpirationCritical: pu(7), ExpectedStatusCode: pi(200),
				ContainsString: "ok", FollowRedirect: true, MaxCheckAttempts: 2, Method: "POST", RequestBody: `{"ping":1}`,
				Headers: []mackerel.HeaderField{{Name: "Cache-Control", Value: "no-cache"}}},
			want: &mackerel.MonitorExternalHTTP{Type: "external", Name: "site", URL: "https://example.com/health?a=1&b=2",
				Service: "web", ResponseTimeWarning: pf(500), ResponseTimeCritical: pf(1000), ResponseTimeDuration: pu(5),
				CertificationExpirationWarning: pu(30), CertificationExpirationCritical: pu(7), ExpectedStatusCode: pi(200),
				ContainsString: "ok", FollowRedirect: true, MaxCheckAttempts: 2, Method: "POST", RequestBody: `{"ping":1}`,
				Headers: []mackerel.HeaderField{{Name: "Cache-Control", Value: "no-cache"}}},
			wire: `{"id":"{id}","name":"site","type":"external","isMute":false,"method":"POST","url":"https://example.com/health?a=1&b=2","maxCheckAttempts":2,"service":"web","responseTimeCritical":1000,"responseTimeWarning":500,"responseTimeDuration":5,"requestBody":"{\"ping\":1}","containsString":"ok","certificationExpirationCritical":7,"certificationExpirationWarning":30,"followRedirect":true,"expectedStatusCode":200,"headers":[{"name":"Cache-Control","value":"no-cache"}]}`,
		},
		{
			in: &mackerel.MonitorAnomalyDetection{Type: "anomalyDetection", Name: "anomaly", Scopes: []string{"web: app"},
				WarningSensitivity: "insensitive", CriticalSensitivity: "normal", TrainingPeriodFrom: uint64(backendtest.Epoch.Unix() - 86400)},
			want: &mackerel.MonitorAnomalyDetection{Type: "anomalyDetection", Name: "anomaly", Scopes: []string{"web: app"},
				WarningSensitivity: "insensitive", CriticalSensitivity: "normal", TrainingPeriodFrom: uint64(backendtest.Epoch.Unix() - 86400),
				MaxCheckAttempts: 3},
			wire: `{"id":"{id}","name":"anomaly","type":"anomalyDetection","isMute":false,"warningSensitivity":"insensitive","criticalSensitivity":"normal","trainingPeriodFrom":1714892889,"maxCheckAttempts":3,"scopes":["web: app"]}`,
		},
		{
			in: &mackerel.MonitorExpression{Type: "expression", Name: "role average", IsMute: true,
				Expression: `avg(roleSlots("web:app","loadavg5"))`, Operator: "<", Critical: pf(0.5), EvaluateBackwardMinutes: pu(5)},
			want: &mackerel.MonitorExpression{Type: "expression", Name: "role average", IsMute: true,
				Expression: `avg(roleSlots("web:app","loadavg5"))`, Operator: "<", Critical: pf(0.5), EvaluateBackwardMinutes: pu(5)},
			wire: `{"id":"{id}","name":"role average","type":"expression","isMute":true,"expression":"avg(roleSlots(\"web:app\",\"loadavg5\"))","operator":"<","warning":null,"critical":0.5,"evaluateBackwardMinutes":5}`,
		},
		{
			in: &mackerel.MonitorServiceMetric{Type: "service", Name: "4xx", Service: "web", Metric: "access.4xx", Operator: ">",
				Warning: pf(50), Critical: pf(100), Duration: 1, MaxCheckAttempts: 3,
				MissingDurationWarning: 360, MissingDurationCritical: 720},
			want: &mackerel.MonitorServiceMetric{Type: "service", Name: "4xx", Service: "web", Metric: "access.4xx", Operator: ">",
				Warning: pf(50), Critical: pf(100), Duration: 1, MaxCheckAttempts: 3,
				MissingDurationWarning: 360, MissingDurationCritical: 720},
			wire: `{"id":"{id}","name":"4xx","type":"service","isMute":false,"service":"web","metric":"access.4xx","operator":">","warning":50,"critical":100,"duration":1,"maxCheckAttempts":3,"missingDurationWarning":360,"missingDurationCritical":720}`,
		},
		{
			in: &mackerel.MonitorConnectivity{Type: "connectivity"},
			want: &mackerel.MonitorConnectivity{Type: "connectivity", Name: "connectivity", AlertStatusOnGone: "CRITICAL",
				Scopes: []string{}, ExcludeScopes: []string{}},
			wire: `{"id":"{id}","name":"connectivity","alertStatusOnGone":"CRITICAL","type":"connectivity","isMute":false,"scopes":[],"excludeScopes":[]}`,
		},
	}
}

// withID returns a copy of m with the id set, through the client's own
// decoding of its own encoding.
func withID(t *testing.T, m mackerel.Monitor, id string) mackerel.Monitor {
	t.Helper()
	c := reflect.New(reflect.TypeOf(m).Elem())
	c.Elem().Set(reflect.ValueOf(m).Elem())
	c.Elem().FieldByName("ID").SetString(id)
	return c.Interface().(mackerel.Monitor)
}

func TestCompatMonitorsAllTypes(t *testing.T) {
	env, mc := monitorEnv(t)
	cases := sevenMonitors()
	ids := make([]string, len(cases))

	for i, c := range cases {
		got, err := mc.CreateMonitor(c.in)
		if err != nil {
			t.Fatalf("CreateMonitor %s: %v", c.in.MonitorType(), err)
		}
		ids[i] = got.MonitorID()
		if len(ids[i]) != 11 {
			t.Fatalf("CreateMonitor %s: id %q", c.in.MonitorType(), ids[i])
		}
		if want := withID(t, c.want, ids[i]); !reflect.DeepEqual(got, want) {
			t.Errorf("CreateMonitor %s answered\n %#v\nwant %#v", c.in.MonitorType(), got, want)
		}
	}

	for i, c := range cases {
		got, err := mc.GetMonitor(ids[i])
		if err != nil {
			t.Fatalf("GetMonitor %s: %v", c.in.MonitorType(), err)
		}
		if want := withID(t, c.want, ids[i]); !reflect.DeepEqual(got, want) {
			t.Errorf("GetMonitor %s =\n %#v\nwant %#v", c.in.MonitorType(), got, want)
		}
		resp := serve(t, env.Handler, "GET", "/api/v0/monitors/"+ids[i], "")
		if want := `{"monitor":` + strings.ReplaceAll(c.wire, "{id}", ids[i]) + `}`; resp.status != http.StatusOK || string(resp.body) != want {
			t.Errorf("GET %s answered %d\n %s\nwant %s", c.in.MonitorType(), resp.status, resp.body, want)
		}
	}

	// The list: by type (connectivity, host, service, external,
	// expression, anomalyDetection, query), and the same bytes as GET.
	list, err := mc.FindMonitors()
	if err != nil {
		t.Fatal(err)
	}
	order := []int{6, 1, 5, 2, 4, 3, 0}
	var gotTypes, wantTypes []string
	var wantWire []string
	for k, i := range order {
		wantTypes = append(wantTypes, cases[i].in.MonitorType())
		wantWire = append(wantWire, strings.ReplaceAll(cases[i].wire, "{id}", ids[i]))
		if k < len(list) {
			gotTypes = append(gotTypes, list[k].MonitorType())
			if list[k].MonitorID() != ids[i] {
				t.Errorf("list[%d] is %s, want %s", k, list[k].MonitorID(), ids[i])
			}
		}
	}
	if !reflect.DeepEqual(gotTypes, wantTypes) {
		t.Errorf("FindMonitors types = %v, want %v", gotTypes, wantTypes)
	}
	resp := serve(t, env.Handler, "GET", "/api/v0/monitors", "")
	if want := `{"monitors":[` + strings.Join(wantWire, ",") + `]}`; string(resp.body) != want {
		t.Errorf("GET /api/v0/monitors\n %s\nwant %s", resp.body, want)
	}

	// Delete each through the client: the answer is the monitor as it
	// was, and it is gone.
	for i, c := range cases {
		got, err := mc.DeleteMonitor(ids[i])
		if err != nil {
			t.Fatalf("DeleteMonitor %s: %v", c.in.MonitorType(), err)
		}
		if want := withID(t, c.want, ids[i]); !reflect.DeepEqual(got, want) {
			t.Errorf("DeleteMonitor %s answered\n %#v\nwant %#v", c.in.MonitorType(), got, want)
		}
		_, err = mc.GetMonitor(ids[i])
		wantAPIError(t, err, http.StatusNotFound, "Monitor not found.")
	}
	if list, err := mc.FindMonitors(); err != nil || len(list) != 0 {
		t.Fatalf("FindMonitors after deleting all = %v, %v", list, err)
	}
	if resp := serve(t, env.Handler, "GET", "/api/v0/monitors", ""); string(resp.body) != `{"monitors":[]}` {
		t.Fatalf("empty list: %s", resp.body)
	}
}

// Monitors of one type are listed by name (byte order), then in the order
// they were created.
func TestCompatMonitorsListOrder(t *testing.T) {
	_, mc := monitorEnv(t)
	var ids []string
	for _, name := range []string{"b", "a", "B", "a"} {
		m, err := mc.CreateMonitor(&mackerel.MonitorHostMetric{Type: "host", Name: name, Metric: "loadavg5", Operator: ">", Warning: pf(1), Duration: 1})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.MonitorID())
	}
	list, err := mc.FindMonitors()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range list {
		got = append(got, m.MonitorID())
	}
	if want := []string{ids[2], ids[1], ids[3], ids[0]}; !reflect.DeepEqual(got, want) {
		t.Fatalf("order = %v, want %v (B, a, a created later, b)", got, want)
	}
}

func TestCompatMonitorsUpdate(t *testing.T) {
	env, mc := monitorEnv(t)

	host, err := mc.CreateMonitor(&mackerel.MonitorHostMetric{Type: "host", Name: "load", Metric: "loadavg5", Operator: ">",
		Warning: pf(4), Critical: pf(8), Duration: 3, MaxCheckAttempts: 2, IsMute: true, NotificationInterval: 30,
		Scopes: []string{"web"}, ExcludeScopes: []string{"web:db"}})
	if err != nil {
		t.Fatal(err)
	}
	id := host.MonitorID()
	// PUT is a full definition: scopes, isMute, notificationInterval and
	// maxCheckAttempts left out go back to their defaults.
	upd := &mackerel.MonitorHostMetric{Type: "host", Name: "load5", Metric: "loadavg5", Operator: "<", Critical: pf(0.1), Duration: 5}
	got, err := mc.UpdateMonitor(id, upd)
	if err != nil {
		t.Fatal(err)
	}
	want := &mackerel.MonitorHostMetric{ID: id, Type: "host", Name: "load5", Metric: "loadavg5", Operator: "<", Critical: pf(0.1),
		Duration: 5, MaxCheckAttempts: 1, Scopes: []string{}, ExcludeScopes: []string{}}
	if !reflect.DeepEqual(got, mackerel.Monitor(want)) {
		t.Fatalf("UpdateMonitor answered\n %#v\nwant %#v", got, want)
	}
	if got, err := mc.GetMonitor(id); err != nil || !reflect.DeepEqual(got, mackerel.Monitor(want)) {
		t.Fatalf("GetMonitor after update = %#v, %v", got, err)
	}

	// connectivity: alertStatusOnGone is kept when omitted.
	conn, err := mc.CreateMonitor(&mackerel.MonitorConnectivity{Type: "connectivity", Name: "gone", AlertStatusOnGone: "WARNING", Scopes: []string{"web"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err = mc.UpdateMonitor(conn.MonitorID(), &mackerel.MonitorConnectivity{Type: "connectivity", Name: "gone2"})
	if err != nil {
		t.Fatal(err)
	}
	if want := (&mackerel.MonitorConnectivity{ID: conn.MonitorID(), Type: "connectivity", Name: "gone2", AlertStatusOnGone: "WARNING",
		Scopes: []string{}, ExcludeScopes: []string{}}); !reflect.DeepEqual(got, mackerel.Monitor(want)) {
		t.Fatalf("connectivity PUT without alertStatusOnGone answered %#v, want %#v", got, want)
	}
	got, err = mc.UpdateMonitor(conn.MonitorID(), &mackerel.MonitorConnectivity{Type: "connectivity", AlertStatusOnGone: "CRITICAL"})
	if err != nil {
		t.Fatal(err)
	}
	if want := (&mackerel.MonitorConnectivity{ID: conn.MonitorID(), Type: "connectivity", Name: "connectivity", AlertStatusOnGone: "CRITICAL",
		Scopes: []string{}, ExcludeScopes: []string{}}); !reflect.DeepEqual(got, mackerel.Monitor(want)) {
		t.Fatalf("connectivity PUT with alertStatusOnGone answered %#v, want %#v", got, want)
	}

	// external: headers null (the client's nil) keep, [] clears.
	ext, err := mc.CreateMonitor(&mackerel.MonitorExternalHTTP{Type: "external", Name: "site", URL: "http://example.com",
		Headers: []mackerel.HeaderField{{Name: "Authorization", Value: "Bearer x"}}})
	if err != nil {
		t.Fatal(err)
	}
	extID := ext.MonitorID()
	got, err = mc.UpdateMonitor(extID, &mackerel.MonitorExternalHTTP{Type: "external", Name: "site", URL: "http://example.com/v2", Headers: nil})
	if err != nil {
		t.Fatal(err)
	}
	if h := got.(*mackerel.MonitorExternalHTTP).Headers; !reflect.DeepEqual(h, []mackerel.HeaderField{{Name: "Authorization", Value: "Bearer x"}}) {
		t.Fatalf("external PUT with headers null: headers %#v, want them kept", h)
	}
	if got.(*mackerel.MonitorExternalHTTP).URL != "http://example.com/v2" || got.(*mackerel.MonitorExternalHTTP).Method != "GET" {
		t.Fatalf("external PUT: %#v", got)
	}
	got, err = mc.UpdateMonitor(extID, &mackerel.MonitorExternalHTTP{Type: "external", Name: "site", URL: "http://example.com/v2", Headers: []mackerel.HeaderField{}})
	if err != nil {
		t.Fatal(err)
	}
	if h := got.(*mackerel.MonitorExternalHTTP).Headers; h == nil || len(h) != 0 {
		t.Fatalf("external PUT with headers []: headers %#v, want none", h)
	}
	resp := serve(t, env.Handler, "GET", "/api/v0/monitors/"+extID, "")
	if want := `{"monitor":{"id":"` + extID + `","name":"site","type":"external","isMute":false,"method":"GET","url":"http://example.com/v2","maxCheckAttempts":1,"headers":[]}}`; string(resp.body) != want {
		t.Fatalf("GET after clearing headers\n %s\nwant %s", resp.body, want)
	}

	// The type cannot change; the refusal changes nothing.
	before := env.MustDump(t)
	_, err = mc.UpdateMonitor(id, &mackerel.MonitorServiceMetric{Type: "service", Name: "load", Service: "web", Metric: "x", Operator: ">", Warning: pf(1), Duration: 1})
	wantAPIError(t, err, http.StatusBadRequest, "type cannot be changed (from host to service): delete the monitor and create a new one.")
	if env.MustDump(t) != before {
		t.Fatal("a refused type change changed the database")
	}
	_, err = mc.UpdateMonitor("nosuchmonitor", upd)
	wantAPIError(t, err, http.StatusNotFound, "Monitor not found.")
}

// A check monitor is not a /monitors resource: its id is a 400, not a 404
// or a monitor of an unknown type.
func TestCompatMonitorsCheckMonitorID(t *testing.T) {
	env, mc := monitorEnv(t)
	host := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	err := mc.PostCheckReports(&mackerel.CheckReports{Reports: []*mackerel.CheckReport{
		{Source: mackerel.NewCheckSourceHost(host), Name: "disk", Status: mackerel.CheckStatusOK, Message: "ok", OccurredAt: env.Clock.Now().Unix()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	checks, err := mc.FindCheckMonitors(nil)
	if err != nil || len(checks.Checks) != 1 {
		t.Fatalf("FindCheckMonitors = %+v, %v", checks, err)
	}
	checkID := checks.Checks[0].ID
	_, err = mc.GetMonitor(checkID)
	wantAPIError(t, err, http.StatusBadRequest, "Cannot get a check monitor")

	before := env.MustDump(t)
	_, err = mc.UpdateMonitor(checkID, &mackerel.MonitorConnectivity{Type: "connectivity"})
	wantAPIError(t, err, http.StatusBadRequest, "Cannot update a check monitor")
	_, err = mc.DeleteMonitor(checkID)
	wantAPIError(t, err, http.StatusBadRequest, "Cannot delete a check monitor")
	if env.MustDump(t) != before {
		t.Fatal("refused requests on a check monitor changed the database")
	}
	if list, err := mc.FindMonitors(); err != nil || len(list) != 0 {
		t.Fatalf("a check monitor is listed: %v, %v", list, err)
	}
}

// Deleting a monitor closes its open alerts (trigger monitorDelete) in the
// same request, and no other monitor's.
func TestCompatMonitorsDeleteClosesAlerts(t *testing.T) {
	env, mc := monitorEnv(t)
	ctx := context.Background()
	host := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	var mons []string
	for _, name := range []string{"doomed", "kept"} {
		m, err := mc.CreateMonitor(&mackerel.MonitorHostMetric{Type: "host", Name: name, Metric: "loadavg5", Operator: ">", Critical: pf(1), Duration: 1})
		if err != nil {
			t.Fatal(err)
		}
		mons = append(mons, m.MonitorID())
	}
	// Open one alert per monitor as the evaluation would, through the
	// store's primitives (the rules that open them are tested in engine).
	alerts := make([]string, len(mons))
	err := env.Store.InTx(ctx, func(tx store.Tx) error {
		for i, id := range mons {
			a := &store.Alert{Status: "CRITICAL", MonitorID: id, Type: "host", HostID: host, Value: pf(3), OpenedAt: env.Clock.Now().Unix()}
			if err := tx.CreateAlert(ctx, a); err != nil {
				return err
			}
			alerts[i] = a.ID
			if err := tx.AddAlertLog(ctx, a.ID, store.AlertLog{CreatedAt: a.OpenedAt, Status: "CRITICAL", Trigger: "monitoring", MonitorID: id}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(90e9)

	if _, err := mc.DeleteMonitor(mons[0]); err != nil {
		t.Fatal(err)
	}
	closed, err := mc.GetAlert(alerts[0])
	if err != nil {
		t.Fatal(err)
	}
	if closed.Status != "OK" || closed.Reason != "Monitor deleted" || closed.ClosedAt != env.Clock.Now().Unix() {
		t.Fatalf("alert of the deleted monitor: %+v", closed)
	}
	logs, err := mc.FindAlertLogs(alerts[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(logs.AlertLogs) != 2 || logs.AlertLogs[0].Trigger != "monitorDelete" || logs.AlertLogs[0].Status != "OK" {
		t.Fatalf("alert logs after delete: %+v", logs.AlertLogs)
	}
	kept, err := mc.GetAlert(alerts[1])
	if err != nil {
		t.Fatal(err)
	}
	if kept.Status != "CRITICAL" || kept.ClosedAt != 0 {
		t.Fatalf("another monitor's alert changed: %+v", kept)
	}
	_, err = mc.DeleteMonitor(mons[0])
	wantAPIError(t, err, http.StatusNotFound, "Monitor not found.")
}
