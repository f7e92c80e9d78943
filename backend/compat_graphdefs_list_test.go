package backend_test

// Graph definitions: the documented wildcard form of a service graph's
// deletion through mackerel-client-go, and mkr's list of definitions.

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend/backendtest"
)

func TestCompatServiceGraphDefWildcard(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	env.MustCreateService(t, "svc")
	mc := mustMackerel(t, env)
	now := env.Clock.Now().Unix()
	var values []*mackerel.MetricValue
	for _, n := range []string{"requests.get.count", "requests.post.count", "requests.total", "latency.p99"} {
		values = append(values, &mackerel.MetricValue{Name: n, Time: now, Value: 1})
	}
	if err := mc.PostServiceMetricValues("svc", values); err != nil {
		t.Fatal(err)
	}
	// "requests.*" is the graph of requests.get.count and requests.post.count;
	// requests.total belongs to the graph "requests".
	if err := mc.DeleteServiceGraphDef("svc", "requests.*"); err != nil {
		t.Fatalf("DeleteServiceGraphDef(requests.*): %v", err)
	}
	names, err := mc.ListServiceMetricNames("svc")
	if want := []string{"latency.p99", "requests.total"}; err != nil || !reflect.DeepEqual(names, want) {
		t.Fatalf("metric names after the delete = %v, %v; want %v", names, err, want)
	}
	wantAPIError(t, mc.DeleteServiceGraphDef("svc", "requests.*"), http.StatusNotFound, `Graph "requests.*" not found in service svc.`)
}

func TestListGraphDefs(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	resp := serve(t, env.Handler, "GET", "/api/v0/graph-defs", "")
	if got := strings.TrimSpace(string(resp.body)); resp.status != 200 || got != `{"graphDefs":[]}` {
		t.Fatalf("empty list: %d %s", resp.status, got)
	}
	mc := mustMackerel(t, env)
	if err := mc.CreateGraphDefs([]*mackerel.GraphDefsParam{
		{Name: "custom.z", Metrics: []*mackerel.GraphDefsMetric{}},
		{Name: "custom.a.*", DisplayName: "A", Unit: "bytes", Metrics: []*mackerel.GraphDefsMetric{{Name: "custom.a.*.x", DisplayName: "x %1", IsStacked: true}}},
	}); err != nil {
		t.Fatal(err)
	}
	resp = serve(t, env.Handler, "GET", "/api/v0/graph-defs", "")
	want := `{"graphDefs":[{"name":"custom.a.*","displayName":"A","unit":"bytes","metrics":[{"name":"custom.a.*.x","displayName":"x %1","isStacked":true}]},{"name":"custom.z","metrics":[]}]}`
	if got := strings.TrimSpace(string(resp.body)); got != want {
		t.Fatalf("GET /graph-defs\n got %s\nwant %s", got, want)
	}
}
