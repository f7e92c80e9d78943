package backend_test

// mackerel-client-go v0.46.0 against /api/v0/dashboards over a loopback
// server: every widget type created, read, listed, updated and deleted as
// the official client sends and decodes them, the exact bytes answered,
// 409 on a duplicate urlPath, and references to deleted roles and
// services answered as {"type":"unknown"} / a null roleFullname.

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

func pint64(v int64) *int64 { return &v }

// everyWidget is a dashboard with each widget type and each kind of graph
// and metric, laid out without overlap.
func everyWidget(hostID string) *mackerel.Dashboard {
	return &mackerel.Dashboard{
		Title: "Every widget", URLPath: "ops/every", Memo: "all of them",
		Widgets: []mackerel.Widget{
			{Type: "markdown", Title: "notes", Markdown: "# body", Layout: mackerel.Layout{X: 0, Y: 0, Width: 24, Height: 3}},
			{Type: "graph", Title: "host", Layout: mackerel.Layout{X: 0, Y: 3, Width: 8, Height: 6},
				Graph:          mackerel.Graph{Type: "host", HostID: hostID, Name: "loadavg.loadavg15"},
				Range:          mackerel.Range{Type: "relative", Period: 3600, Offset: -600},
				ReferenceLines: []mackerel.ReferenceLine{{Label: "critical", Value: 1.23}},
				LegendList:     []string{"loadavg15"}},
			{Type: "graph", Title: "role", Layout: mackerel.Layout{X: 8, Y: 3, Width: 8, Height: 6},
				Graph: mackerel.Graph{Type: "role", RoleFullName: "web:app", Name: "cpu.user", IsStacked: true},
				Range: mackerel.Range{Type: "absolute", Start: 1714900000, End: 1714970000}},
			{Type: "graph", Title: "service", Layout: mackerel.Layout{X: 16, Y: 3, Width: 8, Height: 6},
				Graph: mackerel.Graph{Type: "service", ServiceName: "web", Name: "requests"}},
			{Type: "graph", Title: "expression", Layout: mackerel.Layout{X: 0, Y: 9, Width: 12, Height: 6},
				Graph: mackerel.Graph{Type: "expression", Expression: "avg(roleSlots(web:app,loadavg5))"}},
			{Type: "graph", Title: "query", Layout: mackerel.Layout{X: 12, Y: 9, Width: 12, Height: 6},
				Graph: mackerel.Graph{Type: "query", Query: "container.cpu.utilization{k8s.pod.name=\"x\"}", Legend: "{{k8s.pod.name}}"}},
			{Type: "value", Title: "value", Layout: mackerel.Layout{X: 0, Y: 15, Width: 4, Height: 4},
				Metric: mackerel.Metric{Type: "service", ServiceName: "web", Name: "requests"}, FractionSize: pint64(0),
				Suffix: "req", FormatRules: []mackerel.FormatRule{{Name: "SLO", Threshold: 2.34, Operator: ">"}}},
			{Type: "value", Title: "plain value", Layout: mackerel.Layout{X: 4, Y: 15, Width: 4, Height: 4},
				Metric: mackerel.Metric{Type: "host", HostID: hostID, Name: "loadavg.loadavg5"}},
			{Type: "alertStatus", Title: "alerts", RoleFullName: "web:app", Layout: mackerel.Layout{X: 8, Y: 15, Width: 6, Height: 6}},
		},
	}
}

// everyWidgetWire is everyWidget as the backend answers it ({host}, {id}
// and {at} replaced).
const everyWidgetWire = `{"id":"{id}","title":"Every widget","urlPath":"ops/every","createdAt":{at},"updatedAt":{at},"memo":"all of them","widgets":[` +
	`{"type":"markdown","title":"notes","layout":{"x":0,"y":0,"width":24,"height":3},"markdown":"# body"},` +
	`{"type":"graph","title":"host","layout":{"x":0,"y":3,"width":8,"height":6},"graph":{"type":"host","name":"loadavg.loadavg15","hostId":"{host}"},"range":{"type":"relative","period":3600,"offset":-600},"referenceLines":[{"label":"critical","value":1.23}],"legendList":["loadavg15"]},` +
	`{"type":"graph","title":"role","layout":{"x":8,"y":3,"width":8,"height":6},"graph":{"type":"role","name":"cpu.user","roleFullname":"web:app","isStacked":true},"range":{"type":"absolute","start":1714900000,"end":1714970000},"referenceLines":[]},` +
	`{"type":"graph","title":"service","layout":{"x":16,"y":3,"width":8,"height":6},"graph":{"type":"service","name":"requests","serviceName":"web"},"referenceLines":[]},` +
	`{"type":"graph","title":"expression","layout":{"x":0,"y":9,"width":12,"height":6},"graph":{"type":"expression","expression":"avg(roleSlots(web:app,loadavg5))"},"referenceLines":[]},` +
	`{"type":"graph","title":"query","layout":{"x":12,"y":9,"width":12,"height":6},"graph":{"type":"query","query":"container.cpu.utilization{k8s.pod.name=\"x\"}","legend":"{{k8s.pod.name}}"},"referenceLines":[]},` +
	`{"type":"value","title":"value","layout":{"x":0,"y":15,"width":4,"height":4},"metric":{"type":"service","name":"requests","serviceName":"web"},"fractionSize":0,"suffix":"req","formatRules":[{"name":"SLO","threshold":2.34,"operator":">"}]},` +
	`{"type":"value","title":"plain value","layout":{"x":4,"y":15,"width":4,"height":4},"metric":{"type":"host","name":"loadavg.loadavg5","hostId":"{host}"},"suffix":"","formatRules":[]},` +
	`{"type":"alertStatus","title":"alerts","layout":{"x":8,"y":15,"width":6,"height":6},"roleFullname":"web:app"}]}`

func TestCompatDashboards(t *testing.T) {
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	env.MustCreateService(t, "web", "app")
	hostID := env.MustCreateHost(t, store.NewHost{Name: "web1"})

	if list, err := mc.FindDashboards(); err != nil || len(list) != 0 {
		t.Fatalf("FindDashboards on a new database = %v, %v", list, err)
	}
	if resp := serve(t, env.Handler, "GET", "/api/v0/dashboards", ""); string(resp.body) != `{"dashboards":[]}` {
		t.Fatalf("empty list: %s", resp.body)
	}

	in := everyWidget(hostID)
	created, err := mc.CreateDashboard(in)
	if err != nil {
		t.Fatalf("CreateDashboard: %v", err)
	}
	if created.ID == "" || created.CreatedAt != 1714979289 || created.UpdatedAt != created.CreatedAt {
		t.Fatalf("created id/times = %q %d %d", created.ID, created.CreatedAt, created.UpdatedAt)
	}
	want := *in
	want.ID, want.CreatedAt, want.UpdatedAt = created.ID, created.CreatedAt, created.UpdatedAt
	// GET answers referenceLines [] and formatRules [] where unset; the
	// client decodes those as empty, not nil.
	for i := range want.Widgets {
		w := &want.Widgets[i]
		if w.Type == "graph" && w.ReferenceLines == nil {
			w.ReferenceLines = []mackerel.ReferenceLine{}
		}
		if w.Type == "value" && w.FormatRules == nil {
			w.FormatRules = []mackerel.FormatRule{}
		}
	}
	if !reflect.DeepEqual(created, &want) {
		t.Fatalf("CreateDashboard answered\n%+v\nwant\n%+v", created, &want)
	}
	got, err := mc.FindDashboard(created.ID)
	if err != nil || !reflect.DeepEqual(got, &want) {
		t.Fatalf("FindDashboard = %+v, %v", got, err)
	}
	wire := strings.NewReplacer("{id}", created.ID, "{host}", hostID, "{at}", "1714979289").Replace(everyWidgetWire)
	if resp := serve(t, env.Handler, "GET", "/api/v0/dashboards/"+created.ID, ""); string(resp.body) != wire {
		t.Fatalf("GET bytes:\n%s\nwant\n%s", resp.body, wire)
	}
	if resp := serve(t, env.Handler, "GET", "/api/v0/dashboards", ""); string(resp.body) !=
		`{"dashboards":[{"id":"`+created.ID+`","title":"Every widget","urlPath":"ops/every","createdAt":1714979289,"updatedAt":1714979289,"memo":"all of them"}]}` {
		t.Fatalf("list bytes: %s", resp.body)
	}

	// 409 on a urlPath in use, on create and on update.
	other := &mackerel.Dashboard{Title: "other", URLPath: "other", Widgets: []mackerel.Widget{}}
	otherCreated, err := mc.CreateDashboard(other)
	if err != nil {
		t.Fatal(err)
	}
	before := env.MustDump(t)
	other.URLPath = "ops/every"
	_, err = mc.CreateDashboard(other)
	wantAPIError(t, err, http.StatusConflict, "urlPath ops/every is already used by another dashboard.")
	_, err = mc.UpdateDashboard(otherCreated.ID, other)
	wantAPIError(t, err, http.StatusConflict, "urlPath ops/every is already used by another dashboard.")
	if after := env.MustDump(t); after != before {
		t.Fatalf("a refused write changed the database:\n%s", after)
	}

	// Update: whole replacement, createdAt kept, updatedAt moved.
	env.Clock.Advance(90e9)
	upd := want
	upd.Title, upd.Widgets = "Renamed", want.Widgets[:1]
	updated, err := mc.UpdateDashboard(created.ID, &upd)
	if err != nil {
		t.Fatalf("UpdateDashboard: %v", err)
	}
	if updated.Title != "Renamed" || len(updated.Widgets) != 1 || updated.CreatedAt != 1714979289 || updated.UpdatedAt != 1714979289+90 {
		t.Fatalf("UpdateDashboard answered %+v", updated)
	}
	_, err = mc.UpdateDashboard("nope", &upd)
	wantAPIError(t, err, http.StatusNotFound, "Dashboard not found.")

	deleted, err := mc.DeleteDashboard(created.ID)
	if err != nil || deleted.Title != "Renamed" || len(deleted.Widgets) != 1 {
		t.Fatalf("DeleteDashboard = %+v, %v", deleted, err)
	}
	_, err = mc.FindDashboard(created.ID)
	wantAPIError(t, err, http.StatusNotFound, "Dashboard not found.")
	_, err = mc.DeleteDashboard(created.ID)
	wantAPIError(t, err, http.StatusNotFound, "Dashboard not found.")
}

// A dashboard keeps referencing a deleted role or service: the stored body
// is unchanged and every read answers the reference as gone.
func TestDashboardStaleReferences(t *testing.T) {
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	env.MustCreateService(t, "web", "app")
	env.MustCreateService(t, "db")
	d, err := mc.CreateDashboard(&mackerel.Dashboard{Title: "refs", URLPath: "refs", Widgets: []mackerel.Widget{
		{Type: "graph", Title: "role", Layout: mackerel.Layout{X: 0, Y: 0, Width: 6, Height: 6},
			Graph: mackerel.Graph{Type: "role", RoleFullName: "web:app", Name: "cpu"}},
		{Type: "graph", Title: "svc", Layout: mackerel.Layout{X: 6, Y: 0, Width: 6, Height: 6},
			Graph: mackerel.Graph{Type: "service", ServiceName: "db", Name: "qps"}},
		{Type: "value", Title: "svc value", Layout: mackerel.Layout{X: 12, Y: 0, Width: 4, Height: 4},
			Metric: mackerel.Metric{Type: "service", ServiceName: "db", Name: "qps"}},
		{Type: "alertStatus", Title: "alerts", RoleFullName: "web:app", Layout: mackerel.Layout{X: 16, Y: 0, Width: 4, Height: 3}},
		{Type: "graph", Title: "expr", Layout: mackerel.Layout{X: 0, Y: 6, Width: 6, Height: 6},
			Graph: mackerel.Graph{Type: "expression", Expression: "service(db,qps)"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Store.DeleteRole(t.Context(), "web", "app"); err != nil {
		t.Fatal(err)
	}
	if _, err := mc.DeleteService("db"); err != nil {
		t.Fatal(err)
	}
	resp := serve(t, env.Handler, "GET", "/api/v0/dashboards/"+d.ID, "")
	for _, part := range []string{
		`"title":"role","layout":{"x":0,"y":0,"width":6,"height":6},"graph":{"type":"unknown"}`,
		`"title":"svc","layout":{"x":6,"y":0,"width":6,"height":6},"graph":{"type":"unknown"}`,
		`"metric":{"type":"unknown"}`,
		`"roleFullname":null`,
		`"graph":{"type":"expression","expression":"service(db,qps)"}`,
	} {
		if !strings.Contains(string(resp.body), part) {
			t.Errorf("GET lacks %s:\n%s", part, resp.body)
		}
	}
	row, err := env.Store.GetDashboard(t.Context(), d.ID)
	if err != nil || !strings.Contains(string(row.Body), `"roleFullname":"web:app"`) {
		t.Fatalf("the stored body lost its references: %s, %v", row.Body, err)
	}
	// Recreating the role brings the widget back.
	env.MustCreateService(t, "web2")
	if _, err := env.Store.CreateRole(t.Context(), "web", "app", ""); err != nil {
		t.Fatal(err)
	}
	got, err := mc.FindDashboard(d.ID)
	if err != nil || got.Widgets[0].Graph.Type != "role" || got.Widgets[3].RoleFullName != "web:app" {
		t.Fatalf("after recreating the role: %+v, %v", got, err)
	}
	// Writing an unknown reference back is refused, naming the field.
	resp = serve(t, env.Handler, "PUT", "/api/v0/dashboards/"+d.ID, string(serve(t, env.Handler, "GET", "/api/v0/dashboards/"+d.ID, "").body))
	wantError(t, resp, http.StatusBadRequest, "widgets[1].graph.type unknown marks a deleted reference and cannot be written: choose what to show.")
}

// valueRange, which mackerel-client-go does not model, is kept; the nulls
// the Go client sends for keys a widget does not have are accepted.
func TestDashboardKeepsValueRange(t *testing.T) {
	env := backendtest.New(t)
	body := `{"title":"v","urlPath":"v","memo":"","widgets":[{"type":"graph","title":"g","layout":{"x":0,"y":0,"width":6,"height":6},` +
		`"metric":null,"range":null,"graph":{"type":"expression","expression":"max(service(s,m))"},"valueRange":{"min":0,"max":100}},` +
		`{"type":"markdown","title":"m","layout":{"x":6,"y":0,"width":4,"height":2},"markdown":"x","graph":null,"metric":null,"range":null}]}`
	resp := serve(t, env.Handler, "POST", "/api/v0/dashboards", body)
	if resp.status != http.StatusOK || !strings.Contains(string(resp.body),
		`"graph":{"type":"expression","expression":"max(service(s,m))"},"valueRange":{"min":0,"max":100},"referenceLines":[]}`) {
		t.Fatalf("POST = %d %s", resp.status, resp.body)
	}
	if !strings.Contains(string(resp.body), `{"type":"markdown","title":"m","layout":{"x":6,"y":0,"width":4,"height":2},"markdown":"x"}`) {
		t.Fatalf("markdown widget: %s", resp.body)
	}
}
