package backend_test

// The exact bytes of every response body the backend builds itself, so
// that reusing the client's wire types (or keeping a server-only one)
// cannot change what clients receive. Random ids are replaced by
// placeholders before comparing.

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

func TestCompatWireBytes(t *testing.T) {
	env := backendtest.New(t)
	now := env.Clock.Now().Unix()
	host := env.MustCreateHost(t, store.NewHost{Name: "web01", Meta: []byte(`{"agent-version":"0.1","x-extra":[1]}`),
		Roles: []store.RoleRef{{Service: "blog", Role: "app"}}})
	ids := map[string]string{host: "HOST"}
	do := func(method, target, body string) string {
		t.Helper()
		resp := serve(t, env.Handler, method, target, body)
		if resp.status != http.StatusOK {
			t.Fatalf("%s %s → %d %s", method, target, resp.status, resp.body)
		}
		return string(resp.body)
	}
	norm := func(s string) string {
		for id, name := range ids {
			s = strings.ReplaceAll(s, id, name)
		}
		return s
	}
	report := func(status string, at int64) {
		t.Helper()
		do("POST", "/api/v0/monitoring/checks/report", fmt.Sprintf(
			`{"reports":[{"source":{"type":"host","hostId":%q},"name":"disk","status":%q,"message":"","occurredAt":%d}]}`, host, status, at))
	}
	report("CRITICAL", now-60)
	var page struct {
		Alerts []struct{ ID, MonitorID string } `json:"alerts"`
	}
	mustDecode(t, serve(t, env.Handler, "GET", "/api/v0/alerts", ""), &page)
	if len(page.Alerts) != 1 {
		t.Fatalf("alerts = %+v, want 1", page.Alerts)
	}
	ids[page.Alerts[0].ID], ids[page.Alerts[0].MonitorID] = "ALERT", "MONITOR"
	alert := page.Alerts[0].ID
	do("POST", "/api/v0/tsdb", fmt.Sprintf(`[{"hostId":%q,"name":"custom.a","time":%d,"value":0}]`, host, now-30))
	ann := do("POST", "/api/v0/graph-annotations", `{"title":"deploy","from":100,"to":200,"service":"blog","roles":["app"]}`)
	annID := ann[strings.Index(ann, `"id":"`)+6:][:11]
	ids[annID] = "ANN"
	report("OK", now-10)
	var logs struct {
		Logs []struct{ ID string } `json:"logs"`
	}
	mustDecode(t, serve(t, env.Handler, "GET", "/api/v0/alerts/"+alert+"/logs", ""), &logs)
	for i, l := range logs.Logs {
		ids[l.ID] = fmt.Sprintf("LOG%d", i)
	}

	for _, tt := range []struct{ name, method, target, want string }{
		{"host", "GET", "/api/v0/hosts/" + host, fmt.Sprintf(`{"host":{"id":"HOST","name":"web01","size":"standard","status":"working","memo":"",`+
			`"isRetired":false,"createdAt":%d,"statusChangedAt":%d,"roles":{"blog":["app"]},"meta":{"agent-version":"0.1","x-extra":[1]},"interfaces":[]}}`, now, now)},
		{"services", "GET", "/api/v0/services", `{"services":[{"name":"blog","memo":"","roles":["app"]}]}`},
		{"roles", "GET", "/api/v0/services/blog/roles", `{"roles":[{"name":"app","memo":""}]}`},
		{"alert", "GET", "/api/v0/alerts/" + alert, fmt.Sprintf(`{"id":"ALERT","status":"OK","monitorId":"MONITOR","type":"check","hostId":"HOST",`+
			`"reason":"Check recovered: ","openedAt":%d,"closedAt":%d}`, now-60, now)},
		{"alert logs", "GET", "/api/v0/alerts/" + alert + "/logs", fmt.Sprintf(`{"logs":[`+
			`{"id":"LOG0","createdAt":%d,"status":"OK","trigger":"monitoring","monitorId":"MONITOR","targetValue":null,"statusDetail":{"detail":{"memo":"","message":""},"type":"check"}},`+
			`{"id":"LOG1","createdAt":%d,"status":"CRITICAL","trigger":"monitoring","monitorId":"MONITOR","targetValue":null,"statusDetail":{"detail":{"memo":"","message":""},"type":"check"}}]}`, now, now)},
		{"monitored statuses", "GET", "/api/v0/hosts/" + host + "/monitored-statuses",
			`{"monitoredStatuses":[{"monitorId":"MONITOR","status":"OK","detail":{"type":"check","message":""}}]}`},
		{"check monitors", "GET", "/api/v0/monitoring/checks", `{"checks":[{"id":"MONITOR","name":"disk"}]}`},
		{"check monitor", "GET", "/api/v0/monitoring/checks/" + page.Alerts[0].MonitorID, `{"check":{"id":"MONITOR","name":"disk"}}`},
		{"metrics", "GET", fmt.Sprintf("/api/v0/hosts/%s/metrics?name=custom.a&from=%d&to=%d", host, now-3600, now), fmt.Sprintf(`{"metrics":[{"time":%d,"value":0}]}`, now-30)},
		// From 0 is a long range: hourly means, at each hour's start.
		{"metrics, long range", "GET", fmt.Sprintf("/api/v0/hosts/%s/metrics?name=custom.a&from=0&to=%d", host, now), fmt.Sprintf(`{"metrics":[{"time":%d,"value":0}]}`, now-now%3600)},
		{"latest", "GET", "/api/v0/tsdb/latest?hostId=" + host + "&name=custom.a&name=custom.b", fmt.Sprintf(`{"tsdbLatest":{"HOST":{"custom.a":{"time":%d,"value":0},"custom.b":null}}}`, now-30)},
		{"annotations", "GET", "/api/v0/graph-annotations?service=blog&from=0&to=1000",
			`{"graphAnnotations":[{"id":"ANN","title":"deploy","from":100,"to":200,"service":"blog","roles":["app"]}]}`},
	} {
		if got := norm(do(tt.method, tt.target, "")); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
	if got, want := norm(ann), `{"id":"ANN","title":"deploy","from":100,"to":200,"service":"blog","roles":["app"]}`; got != want {
		t.Errorf("created annotation:\n got %s\nwant %s", got, want)
	}
}
