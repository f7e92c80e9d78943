package backend_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

// Every dashboard rule, each refused with a 400 (409 for a urlPath in use)
// that names the field, and leaving the database as it was; the edges of
// each rule are accepted.
func TestDashboardValidation(t *testing.T) {
	env := backendtest.New(t)
	env.MustCreateService(t, "web", "app")
	hostID := env.MustCreateHost(t, store.NewHost{Name: "web1"})
	if resp := serve(t, env.Handler, "POST", "/api/v0/dashboards", `{"title":"taken","urlPath":"taken","widgets":[]}`); resp.status != http.StatusOK {
		t.Fatalf("seed: %d %s", resp.status, resp.body)
	}

	at := func(x, y, w, h int) string {
		return `"layout":{"x":` + strconv.Itoa(x) + `,"y":` + strconv.Itoa(y) + `,"width":` + strconv.Itoa(w) + `,"height":` + strconv.Itoa(h) + `}`
	}
	md := func(layout string) string { return `{"type":"markdown","title":"m","markdown":"x",` + layout + `}` }
	graph := func(g, extra string) string {
		return `{"type":"graph","title":"g",` + at(0, 0, 6, 6) + `,"graph":` + g + extra + `}`
	}
	expr := `{"type":"expression","expression":"service(web,m)"}`
	value := func(m, extra string) string {
		return `{"type":"value","title":"v",` + at(0, 0, 4, 4) + `,"metric":` + m + extra + `}`
	}
	alert := func(role string, layout string) string {
		return `{"type":"alertStatus","title":"a","roleFullname":` + role + `,` + layout + `}`
	}
	dash := func(widgets ...string) string {
		return `{"title":"t","urlPath":"p","widgets":[` + strings.Join(widgets, ",") + `]}`
	}
	l32 := strings.Repeat("é", 32)

	cases := []struct {
		name, body string
		status     int    // 0: accepted
		message    string // of a refusal
	}{
		{"not an object", `[1]`, 400, "Invalid JSON: expected an object, not array"},
		{"no title", `{"urlPath":"p","widgets":[]}`, 400, "title is required."},
		{"no urlPath", `{"title":"t","widgets":[]}`, 400, "urlPath is required."},
		{"urlPath starting with -", `{"title":"t","urlPath":"-a","widgets":[]}`, 400, `urlPath "-a" is invalid: use segments of letters, digits, "_" and "-" separated by "/", none starting with "-".`},
		{"urlPath with an empty segment", `{"title":"t","urlPath":"a//b","widgets":[]}`, 400, `urlPath "a//b" is invalid: use segments of letters, digits, "_" and "-" separated by "/", none starting with "-".`},
		{"urlPath with a trailing slash", `{"title":"t","urlPath":"a/","widgets":[]}`, 400, `urlPath "a/" is invalid: use segments of letters, digits, "_" and "-" separated by "/", none starting with "-".`},
		{"urlPath nested", `{"title":"t","urlPath":"_a/b-c/9","widgets":[]}`, 0, ""},
		{"urlPath in use", `{"title":"t","urlPath":"taken","widgets":[]}`, 409, "urlPath taken is already used by another dashboard."},
		{"widgets null (upstream pull-all files)", `{"title":"t","urlPath":"p","widgets":null}`, 400, "widgets is required (an array; [] for a dashboard without widgets)."},
		{"widgets absent", `{"title":"t","urlPath":"p"}`, 400, "widgets is required (an array; [] for a dashboard without widgets)."},
		{"title of the wrong type", `{"title":1,"urlPath":"p","widgets":[]}`, 400, "title must be a string."},
		{"a fractional layout", dash(`{"type":"markdown","title":"m","layout":{"x":0.5,"y":0,"width":4,"height":2}}`), 400, "widgets.layout.x must be an integer."},
		{"unknown widget type", dash(`{"type":"chart","title":"c",` + at(0, 0, 6, 6) + `}`), 400, `widgets[0].type must be one of graph, value, markdown, alertStatus (got "chart").`},
		{"negative x", dash(md(at(-1, 0, 4, 2))), 400, "widgets[0].layout.x must not be negative."},
		{"past the grid", dash(md(at(21, 0, 4, 2))), 400, "widgets[0].layout goes past the grid's 24 columns (x 21 + width 4)."},
		{"at the grid's edge", dash(md(at(20, 0, 4, 2))), 0, ""},
		{"overlap", dash(md(at(0, 0, 4, 2)), md(at(3, 1, 4, 2))), 400, "widgets[1].layout overlaps widgets[0].layout."},
		{"touching edges", dash(md(at(0, 0, 4, 2)), md(at(4, 0, 4, 2)), md(at(0, 2, 4, 2))), 0, ""},
		// Size limits of every type, just outside and at each edge.
		{"graph too narrow", dash(`{"type":"graph","title":"g",` + at(0, 0, 5, 6) + `,"graph":` + expr + `}`), 400, "widgets[0].layout.width must be 6 to 24 for graph widgets (got 5)."},
		{"graph too short", dash(`{"type":"graph","title":"g",` + at(0, 0, 6, 5) + `,"graph":` + expr + `}`), 400, "widgets[0].layout.height must be 6 to 32 for graph widgets (got 5)."},
		{"graph too tall", dash(`{"type":"graph","title":"g",` + at(0, 0, 6, 33) + `,"graph":` + expr + `}`), 400, "widgets[0].layout.height must be 6 to 32 for graph widgets (got 33)."},
		{"graph largest", dash(`{"type":"graph","title":"g",` + at(0, 0, 24, 32) + `,"graph":` + expr + `}`), 0, ""},
		{"value too small", dash(`{"type":"value","title":"v",` + at(0, 0, 3, 4) + `,"metric":` + expr + `}`), 400, "widgets[0].layout.width must be 4 to 24 for value widgets (got 3)."},
		{"value too tall", dash(`{"type":"value","title":"v",` + at(0, 0, 4, 33) + `,"metric":` + expr + `}`), 400, "widgets[0].layout.height must be 4 to 32 for value widgets (got 33)."},
		{"value smallest", dash(value(expr, "")), 0, ""},
		{"markdown too short", dash(md(at(0, 0, 4, 1))), 400, "widgets[0].layout.height must be 2 to 80 for markdown widgets (got 1)."},
		{"markdown too narrow", dash(md(at(0, 0, 3, 2))), 400, "widgets[0].layout.width must be 4 to 24 for markdown widgets (got 3)."},
		{"markdown too tall", dash(md(at(0, 0, 4, 81))), 400, "widgets[0].layout.height must be 2 to 80 for markdown widgets (got 81)."},
		{"markdown tallest", dash(md(at(0, 0, 24, 80))), 0, ""},
		{"alertStatus too short", dash(alert(`"web:app"`, at(0, 0, 4, 2))), 400, "widgets[0].layout.height must be 3 to 32 for alertStatus widgets (got 2)."},
		{"alertStatus too wide", dash(alert(`"web:app"`, at(0, 0, 25, 3))), 400, "widgets[0].layout.width must be 4 to 24 for alertStatus widgets (got 25)."},
		{"alertStatus smallest", dash(alert(`"web:app"`, at(0, 0, 4, 3))), 0, ""},
		{"alertStatus without a role", dash(alert(`null`, at(0, 0, 4, 3))), 400, "widgets[0].roleFullname is required."},
		{"alertStatus of a bad name", dash(alert(`"web"`, at(0, 0, 4, 3))), 400, `widgets[0].roleFullname must be "service:role" (got "web").`},
		{"alertStatus of an unknown role", dash(alert(`"web:db"`, at(0, 0, 4, 3))), 400, "widgets[0].roleFullname names role web:db, which does not exist."},
		// Graphs.
		{"graph without a graph", dash(`{"type":"graph","title":"g",` + at(0, 0, 6, 6) + `,"graph":null}`), 400, "widgets[0].graph is required."},
		{"graph of an unknown host", dash(graph(`{"type":"host","hostId":"nope","name":"m"}`, "")), 400, "widgets[0].graph.hostId names host nope, which does not exist."},
		{"host graph without a name", dash(graph(`{"type":"host","hostId":"`+hostID+`"}`, "")), 400, "widgets[0].graph.name is required."},
		{"role graph of an unknown role", dash(graph(`{"type":"role","roleFullname":"web:db","name":"m"}`, "")), 400, "widgets[0].graph.roleFullname names role web:db, which does not exist."},
		{"service graph of an unknown service", dash(graph(`{"type":"service","serviceName":"db","name":"m"}`, "")), 400, "widgets[0].graph.serviceName names service db, which does not exist."},
		{"a bad expression", dash(graph(`{"type":"expression","expression":"avg("}`, "")), 400, ""},
		{"an empty query", dash(graph(`{"type":"query","query":" "}`, "")), 400, "widgets[0].graph.query is required."},
		{"graph of an unknown type", dash(graph(`{"type":"metric"}`, "")), 400, `widgets[0].graph.type must be host, role, service, expression or query (got "metric").`},
		{"range of an unknown type", dash(graph(expr, `,"range":{"type":"last"}`)), 400, `widgets[0].range.type must be relative or absolute (got "last").`},
		{"relative range without a period", dash(graph(expr, `,"range":{"type":"relative","offset":-60}`)), 400, "widgets[0].range.period must be a positive number of seconds."},
		{"absolute range backwards", dash(graph(expr, `,"range":{"type":"absolute","start":20,"end":10}`)), 400, "widgets[0].range start must be before end (epoch seconds)."},
		{"valueRange upside down", dash(graph(expr, `,"valueRange":{"min":2,"max":1}`)), 400, "widgets[0].valueRange min must not be greater than max."},
		{"two reference lines", dash(graph(expr, `,"referenceLines":[{"label":"a","value":1},{"label":"b","value":2}]`)), 400, "widgets[0].referenceLines may hold at most 1 line."},
		{"reference line label too long", dash(graph(expr, `,"referenceLines":[{"label":"`+l32+`x","value":1}]`)), 400, "widgets[0].referenceLines[0].label must be 1 to 32 characters."},
		{"reference line label empty", dash(graph(expr, `,"referenceLines":[{"label":"","value":1}]`)), 400, "widgets[0].referenceLines[0].label must be 1 to 32 characters."},
		{"reference line negative", dash(graph(expr, `,"referenceLines":[{"label":"a","value":-1}]`)), 400, "widgets[0].referenceLines[0].value must not be negative."},
		{"reference line at 32 characters", dash(graph(expr, `,"referenceLines":[{"label":"`+l32+`","value":0}]`)), 0, ""},
		{"legendList on an expression", dash(graph(expr, `,"legendList":["a"]`)), 400, "widgets[0].legendList is only for graphs of a host or a service."},
		{"legendList on a service graph", dash(graph(`{"type":"service","serviceName":"web","name":"m"}`, `,"legendList":["m"]`)), 0, ""},
		// Values.
		{"value without a metric", dash(`{"type":"value","title":"v",` + at(0, 0, 4, 4) + `,"metric":null}`), 400, "widgets[0].metric is required."},
		{"value of a role", dash(value(`{"type":"role","roleFullname":"web:app","name":"m"}`, "")), 400, `widgets[0].metric.type must be host, service, expression or query (got "role").`},
		{"fractionSize 17", dash(value(expr, `,"fractionSize":17`)), 400, "widgets[0].fractionSize must be 0 to 16."},
		{"fractionSize -1", dash(value(expr, `,"fractionSize":-1`)), 400, "widgets[0].fractionSize must be 0 to 16."},
		{"fractionSize 16", dash(value(expr, `,"fractionSize":16`)), 0, ""},
		{"two format rules", dash(value(expr, `,"formatRules":[{"threshold":1,"operator":">"},{"threshold":2,"operator":"<"}]`)), 400, "widgets[0].formatRules may hold at most 1 rule."},
		{"format rule operator", dash(value(expr, `,"formatRules":[{"threshold":1,"operator":">="}]`)), 400, `widgets[0].formatRules[0].operator must be ">" or "<".`},
		{"format rule name too long", dash(value(expr, `,"formatRules":[{"name":"`+l32+`x","threshold":1,"operator":"<"}]`)), 400, "widgets[0].formatRules[0].name must be at most 32 characters."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := env.MustDump(t)
			resp := serve(t, env.Handler, "POST", "/api/v0/dashboards", c.body)
			if c.status == 0 {
				if resp.status != http.StatusOK {
					t.Fatalf("refused: %d %s", resp.status, resp.body)
				}
				if del := serve(t, env.Handler, "DELETE", "/api/v0/dashboards/"+idOf(t, resp.body), ""); del.status != http.StatusOK {
					t.Fatalf("delete: %d %s", del.status, del.body)
				}
				return
			}
			if c.message == "" {
				if resp.status != c.status {
					t.Fatalf("got %d %s, want %d", resp.status, resp.body, c.status)
				}
			} else {
				wantError(t, resp, c.status, c.message)
			}
			if after := env.MustDump(t); after != before {
				t.Fatalf("a refused dashboard changed the database")
			}
		})
	}
}
