package backend_test

// The APM read endpoints through mackerel-client-go v0.46.0: valid queries
// answer empty pages (nothing sends traces to this backend), a trace is
// never found, and malformed queries get 400s naming the parameter.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend/backendtest"
)

func TestCompatTraces(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	perPage := 50
	traces, err := mc.ListTraces(&mackerel.ListTracesParam{ServiceName: "web", From: 1, To: 100, PerPage: &perPage,
		Attributes: []mackerel.TraceAttributeFilter{{Key: "http.method", Value: "GET", Operator: mackerel.TraceAttributeOperatorEQ, Type: mackerel.TraceAttributeValueTypeString}}})
	if err != nil || traces.Results == nil || len(traces.Results) != 0 || traces.HasNextPage {
		t.Fatalf("ListTraces = %+v, %v; want an empty page", traces, err)
	}
	_, err = mc.GetTrace("0123456789abcdef0123456789abcdef")
	wantAPIError(t, err, http.StatusNotFound, "Trace 0123456789abcdef0123456789abcdef not found: this backend receives no traces.")
	stats, err := mc.ListHTTPServerStats(&mackerel.ListHTTPServerStatsParam{ServiceName: "web", From: 0, To: 1800})
	if err != nil || stats.Results == nil || len(stats.Results) != 0 || stats.HasNextPage {
		t.Fatalf("ListHTTPServerStats = %+v, %v", stats, err)
	}
	db, err := mc.ListDbQueryStats(&mackerel.ListDbQueryStatsParam{ServiceName: "web", From: 0, To: 60})
	if err != nil || db.Results == nil || len(db.Results) != 0 {
		t.Fatalf("ListDbQueryStats = %+v, %v", db, err)
	}
	resp := serve(t, env.Handler, "POST", "/api/v0/traces", `{"serviceName":"web","from":1,"to":2}`)
	if got := strings.TrimSpace(string(resp.body)); got != `{"hasNextPage":false,"results":[]}` {
		t.Fatalf("POST /traces = %s", got)
	}

	runBadOn(t, env, strings.NewReplacer(), []badCase{
		{"trace id not hex", "GET", "/api/v0/traces/xyz", "", 400, `traceId must be 32 hexadecimal characters, not "xyz".`},
		{"search: no service", "POST", "/api/v0/traces", `{"from":1,"to":2}`, 400, "serviceName is required."},
		{"search: no range", "POST", "/api/v0/traces", `{"serviceName":"web"}`, 400, "from and to are required (epoch seconds)."},
		{"search: reversed", "POST", "/api/v0/traces", `{"serviceName":"web","from":3,"to":2}`, 400, "from must not be after to."},
		{"search: perPage", "POST", "/api/v0/traces", `{"serviceName":"web","from":1,"to":2,"perPage":101}`, 400, "perPage must be from 1 to 100."},
		{"search: status", "POST", "/api/v0/traces", `{"serviceName":"web","from":1,"to":2,"statusCode":"FAIL"}`, 400, `statusCode must be OK or ERROR, not "FAIL".`},
		{"search: operator", "POST", "/api/v0/traces", `{"serviceName":"web","from":1,"to":2,"resourceAttributes":[{"key":"k","value":"v","operator":"LIKE","type":"string"}]}`, 400, `resourceAttributes[0].operator must be one of EQ, NEQ, GT, GTE, LT, LTE, STARTS_WITH, not "LIKE".`},
		{"search: order", "POST", "/api/v0/traces", `{"serviceName":"web","from":1,"to":2,"order":{"column":"NAME"}}`, 400, `order.column must be LATENCY or START_AT, not "NAME".`},
		{"http stats: no service", "GET", "/api/v0/apm/http-server-stats?from=1&to=2", "", 400, "serviceName is required."},
		{"http stats: range", "GET", "/api/v0/apm/http-server-stats?serviceName=web&from=0&to=1801", "", 400, "from and to must be at most 30 minutes apart."},
		{"http stats: from", "GET", "/api/v0/apm/http-server-stats?serviceName=web&from=x&to=1", "", 400, `from must be an integer, not "x".`},
		{"db stats: column", "GET", "/api/v0/apm/db-query-stats?serviceName=web&from=0&to=1&orderColumn=ERROR_RATE", "", 400, `orderColumn must be one of SUM, AVERAGE, P95, EXECUTION_COUNT, not "ERROR_RATE".`},
		{"db stats: page", "GET", "/api/v0/apm/db-query-stats?serviceName=web&from=0&to=1&page=0", "", 400, "page must be 1 or more."},
	})
}
