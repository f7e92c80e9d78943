package backend_test

// Bad input to the time-series endpoints (issue #3): every rejected request
// gets a clear 4xx in Mackerel's error shape and leaves the database exactly
// as it was, row for row.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
)

// tsFixture is an organization with data in every issue-3 table, so a
// request that stored anything at all shows up in the dump.
type tsFixture struct {
	env     *backendtest.Env
	host    string // "web01", with custom.cpu.user at now-60
	retired string
	annID   string // annotation of blog, [now-3600, now-3000]
}

func tsNewFixture(t *testing.T, opts backend.Options) *tsFixture {
	t.Helper()
	env := backendtest.NewWithOptions(t, backendtest.Options{Backend: opts})
	ctx := context.Background()
	f := &tsFixture{env: env}
	f.host = env.MustCreateHost(t, store.NewHost{Name: "web01"})
	f.retired = env.MustCreateHost(t, store.NewHost{Name: "gone"})
	if err := env.Engine.RetireHosts(ctx, []string{f.retired}); err != nil {
		t.Fatal(err)
	}
	env.MustCreateService(t, "blog", "web")
	now := env.Clock.Now().Unix()
	err := env.Store.InsertPoints(ctx, []store.SeriesPoint{
		{Key: store.HostSeries(f.host, "custom.cpu.user"), Point: store.Point{Time: now - 60, Value: 1}},
		{Key: store.ServiceSeries("blog", "req.count"), Point: store.Point{Time: now - 60, Value: 2}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Store.PutGraphDefs(ctx, []store.GraphDef{{Name: "custom.cpu", Metrics: []byte(`[]`)}}); err != nil {
		t.Fatal(err)
	}
	a, err := env.Store.CreateAnnotation(ctx, store.Annotation{Service: "blog", Title: "deploy", From: now - 3600, To: now - 3000})
	if err != nil {
		t.Fatal(err)
	}
	f.annID = a.ID
	return f
}

// tsDo sends one request to the handler and returns status and body.
func tsDo(h http.Handler, method, path, body string) (int, string) {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// tsErrorBody is Mackerel's error shape for msg.
func tsErrorBody(msg string) string {
	b, _ := json.Marshal(map[string]any{"error": map[string]string{"message": msg}})
	return string(b)
}

type tsBadCase = badCase

// tsRunBad is runBadOn with the fixture's placeholders: {host},
// {retired}, {ann}, and the times {now}, {ahead} (past the future bound)
// and {ms} (now in milliseconds).
func tsRunBad(t *testing.T, f *tsFixture, cases []tsBadCase) {
	t.Helper()
	now := f.env.Clock.Now().Unix()
	runBadOn(t, f.env, strings.NewReplacer("{host}", f.host, "{retired}", f.retired, "{ann}", f.annID,
		"{now}", fmt.Sprint(now), "{ahead}", fmt.Sprint(now+601), "{ms}", fmt.Sprint(now*1000)), cases)
}

func TestTSBadMetricPosts(t *testing.T) {
	f := tsNewFixture(t, backend.Options{})
	good := `{"hostId":"{host}","name":"custom.new","time":{now},"value":1}`
	long := strings.Repeat("m", 256)
	tsRunBad(t, f, []tsBadCase{
		{"invalid JSON", "POST", "/api/v0/tsdb", `[` + good + `,{"hostId":`, 400, "Invalid JSON: unexpected EOF"},
		{"trailing garbage", "POST", "/api/v0/tsdb", `[` + good + `] x`, 400, "Invalid JSON: unexpected data after the top-level value"},
		{"an object, not an array", "POST", "/api/v0/tsdb", good, 400, "Invalid JSON: expected an array, not object"},
		{"value as a string", "POST", "/api/v0/tsdb", `[` + good + `,{"hostId":"{host}","name":"custom.x","time":{now},"value":"1"}]`, 400,
			"Invalid JSON: value must be a number, not string"},
		{"value missing", "POST", "/api/v0/tsdb", `[` + good + `,{"hostId":"{host}","name":"custom.x","time":{now}}]`, 400,
			"Point 1 (custom.x): value must be a number."},
		{"value null", "POST", "/api/v0/tsdb", `[` + good + `,{"hostId":"{host}","name":"custom.x","time":{now},"value":null}]`, 400,
			"Point 1 (custom.x): value must be a number."},
		{"NaN is not JSON", "POST", "/api/v0/tsdb", `[{"hostId":"{host}","name":"custom.x","time":{now},"value":NaN}]`, 400,
			"Invalid JSON: invalid character 'N' looking for beginning of value"},
		{"time missing", "POST", "/api/v0/tsdb", `[` + good + `,{"hostId":"{host}","name":"custom.x","value":1}]`, 400,
			"Point 1 (custom.x): time must be a positive epoch in seconds."},
		{"time zero", "POST", "/api/v0/tsdb", `[` + good + `,{"hostId":"{host}","name":"custom.x","time":0,"value":1}]`, 400,
			"Point 1 (custom.x): time must be a positive epoch in seconds."},
		{"time under one second", "POST", "/api/v0/tsdb", `[` + good + `,{"hostId":"{host}","name":"custom.x","time":0.5,"value":1}]`, 400,
			"Point 1 (custom.x): time must be a positive epoch in seconds."},
		{"time negative", "POST", "/api/v0/tsdb", `[` + good + `,{"hostId":"{host}","name":"custom.x","time":-5,"value":1}]`, 400,
			"Point 1 (custom.x): time must be a positive epoch in seconds."},
		{"time beyond int64", "POST", "/api/v0/tsdb", `[` + good + `,{"hostId":"{host}","name":"custom.x","time":1e300,"value":1}]`, 400,
			"Point 1 (custom.x): time must be a positive epoch in seconds."},
		{"time more than 10 minutes ahead", "POST", "/api/v0/tsdb", `[` + good + `,{"hostId":"{host}","name":"custom.x","time":{ahead},"value":1}]`, 400,
			"Point 1 (custom.x): time {ahead} is more than 10 minutes in the future (epoch seconds, not milliseconds)."},
		{"time in milliseconds", "POST", "/api/v0/tsdb", `[{"hostId":"{host}","name":"custom.x","time":{ms},"value":1},` + good + `]`, 400,
			"Point 0 (custom.x): time {ms} is more than 10 minutes in the future (epoch seconds, not milliseconds)."},
		{"time in milliseconds, retired host", "POST", "/api/v0/tsdb", `[{"hostId":"{retired}","name":"custom.x","time":{ms},"value":1}]`, 400,
			"Point 0 (custom.x): time {ms} is more than 10 minutes in the future (epoch seconds, not milliseconds)."},
		{"time as a string", "POST", "/api/v0/tsdb", `[{"hostId":"{host}","name":"custom.x","time":"{now}","value":1}]`, 400,
			"Invalid JSON: time must be a number, not string"},
		{"name with a slash", "POST", "/api/v0/tsdb", `[` + good + `,{"hostId":"{host}","name":"custom.a/b","time":{now},"value":1}]`, 400,
			`Point 1: invalid metric name "custom.a/b": use A-Z a-z 0-9 . _ - (at most 255 characters).`},
		{"name empty", "POST", "/api/v0/tsdb", `[{"hostId":"{host}","name":"","time":{now},"value":1}]`, 400,
			`Point 0: invalid metric name "": use A-Z a-z 0-9 . _ - (at most 255 characters).`},
		{"name of 256 characters", "POST", "/api/v0/tsdb", `[{"hostId":"{host}","name":"` + long + `","time":{now},"value":1}]`, 400,
			`Point 0: invalid metric name "` + long + `": use A-Z a-z 0-9 . _ - (at most 255 characters).`},
		{"hostId missing", "POST", "/api/v0/tsdb", `[` + good + `,{"name":"custom.x","time":{now},"value":1}]`, 400,
			"Point 1: hostId is required."},
		{"unknown host among good points", "POST", "/api/v0/tsdb", `[` + good + `,{"hostId":"nohost","name":"custom.x","time":{now},"value":1}]`, 404,
			"Host Not Found."},
		{"unknown host, only old points", "POST", "/api/v0/tsdb", `[{"hostId":"nohost","name":"custom.x","time":1000,"value":1}]`, 404,
			"Host Not Found."},

		{"service: unknown service", "POST", "/api/v0/services/nosvc/tsdb", `[{"name":"x","time":{now},"value":1}]`, 404,
			"Service not found."},
		{"service: unknown service, only old points", "POST", "/api/v0/services/nosvc/tsdb", `[{"name":"x","time":1000,"value":1}]`, 404,
			"Service not found."},
		{"service: bad point after good ones", "POST", "/api/v0/services/blog/tsdb", `[{"name":"x","time":{now},"value":1},{"name":"y z","time":{now},"value":1}]`, 400,
			`Point 1: invalid metric name "y z": use A-Z a-z 0-9 . _ - (at most 255 characters).`},
		{"service: time in milliseconds after good ones", "POST", "/api/v0/services/blog/tsdb", `[{"name":"x","time":{now},"value":1},{"name":"y","time":{ms},"value":1}]`, 400,
			"Point 1 (y): time {ms} is more than 10 minutes in the future (epoch seconds, not milliseconds)."},
		{"service: invalid JSON", "POST", "/api/v0/services/blog/tsdb", `[{"name":"x","time":{now},"value":1}`, 400,
			"Invalid JSON: unexpected EOF"},
	})
}

func TestTSBadMetricReads(t *testing.T) {
	f := tsNewFixture(t, backend.Options{})
	tsRunBad(t, f, []tsBadCase{
		{"host: unknown host", "GET", "/api/v0/hosts/nohost/metrics?name=custom.cpu.user&from=0&to=1", "", 404, "Host Not Found."},
		{"host: unknown metric", "GET", "/api/v0/hosts/{host}/metrics?name=custom.nope&from=0&to=1", "", 404, "Metric not found: custom.nope."},
		{"host: no name", "GET", "/api/v0/hosts/{host}/metrics?from=0&to=1", "", 400, "name is required."},
		{"host: from after to", "GET", "/api/v0/hosts/{host}/metrics?name=custom.cpu.user&from=2&to=1", "", 400, "from must not be after to."},
		{"host: from not a number", "GET", "/api/v0/hosts/{host}/metrics?name=custom.cpu.user&from=yesterday", "", 400, `from must be an epoch in seconds, not "yesterday".`},
		{"service: unknown service", "GET", "/api/v0/services/nosvc/metrics?name=req.count&from=0&to=1", "", 404, "Service not found."},
		{"service: unknown metric", "GET", "/api/v0/services/blog/metrics?name=nope&from=0&to=1", "", 404, "Metric not found: nope."},
		{"service: metric names of an unknown service", "GET", "/api/v0/services/nosvc/metric-names", "", 404, "Service not found."},
		{"host: metric names of an unknown host", "GET", "/api/v0/hosts/nohost/metric-names", "", 404, "Host Not Found."},
		{"latest: no hostId", "GET", "/api/v0/tsdb/latest?name=custom.cpu.user", "", 400, "hostId and name are required."},
		{"latest: no name", "GET", "/api/v0/tsdb/latest?hostId={host}", "", 400, "hostId and name are required."},
	})
}

func TestTSBadGraphDefs(t *testing.T) {
	f := tsNewFixture(t, backend.Options{})
	tsRunBad(t, f, []tsBadCase{
		{"invalid JSON", "POST", "/api/v0/graph-defs/create", `[{"name":`, 400, "Invalid JSON: unexpected EOF"},
		{"no custom. prefix, after a good one", "POST", "/api/v0/graph-defs/create", `[{"name":"custom.ok","metrics":[]},{"name":"cpu.x","metrics":[]}]`, 400,
			`Invalid graph name "cpu.x": expected custom.<name>[.<name>…] where a part may be * or # (# at most once).`},
		{"two #", "POST", "/api/v0/graph-defs/create", `[{"name":"custom.#.#","metrics":[]}]`, 400,
			`Invalid graph name "custom.#.#": expected custom.<name>[.<name>…] where a part may be * or # (# at most once).`},
		{"partial wildcard", "POST", "/api/v0/graph-defs/create", `[{"name":"custom.a*","metrics":[]}]`, 400,
			`Invalid graph name "custom.a*": expected custom.<name>[.<name>…] where a part may be * or # (# at most once).`},
		{"unknown unit", "POST", "/api/v0/graph-defs/create", `[{"name":"custom.a","unit":"furlongs","metrics":[]}]`, 400,
			`Invalid unit "furlongs" for custom.a: use one of float, integer, percentage, seconds, milliseconds, bytes, bytes/sec, bits/sec, iops.`},
		{"metric outside its graph", "POST", "/api/v0/graph-defs/create", `[{"name":"custom.a","metrics":[{"name":"custom.b.x","isStacked":false}]}]`, 400,
			`Metric "custom.b.x" does not belong to graph "custom.a".`},
		{"delete an absent definition", "DELETE", "/api/v0/graph-defs", `{"name":"custom.nope"}`, 400, `Graph definition "custom.nope" not found.`},
		{"delete without a name", "DELETE", "/api/v0/graph-defs", `{}`, 400, "name is required."},
		{"delete without a body", "DELETE", "/api/v0/graph-defs", ``, 400, "Request body is required."},
		{"service graph: unknown service", "DELETE", "/api/v0/services/nosvc/graph-defs/req", "", 404, "Service not found."},
		{"service graph: no such graph", "DELETE", "/api/v0/services/blog/graph-defs/nope", "", 404, `Graph "nope" not found in service blog.`},
	})
}

func TestTSBadAnnotations(t *testing.T) {
	f := tsNewFixture(t, backend.Options{})
	title250, desc1024 := strings.Repeat("t", 250), strings.Repeat("d", 1024)
	tsRunBad(t, f, []tsBadCase{
		{"invalid JSON", "POST", "/api/v0/graph-annotations", `{"title":`, 400, "Invalid JSON: unexpected EOF"},
		{"from after to", "POST", "/api/v0/graph-annotations", `{"title":"x","service":"blog","from":200,"to":100}`, 400, "from must not be after to."},
		{"title of 251", "POST", "/api/v0/graph-annotations", `{"title":"` + title250 + `t","service":"blog","from":100,"to":100}`, 400, "title must be at most 250 characters."},
		{"description of 1025", "POST", "/api/v0/graph-annotations", `{"title":"x","description":"` + desc1024 + `d","service":"blog","from":100,"to":100}`, 400, "description must be at most 1024 characters."},
		{"no title", "POST", "/api/v0/graph-annotations", `{"service":"blog","from":100,"to":100}`, 400, "title is required."},
		{"no service", "POST", "/api/v0/graph-annotations", `{"title":"x","from":100,"to":100}`, 400, "service is required."},
		{"no times", "POST", "/api/v0/graph-annotations", `{"title":"x","service":"blog"}`, 400, "from and to are required epoch seconds."},
		{"from as a string", "POST", "/api/v0/graph-annotations", `{"title":"x","service":"blog","from":"100","to":100}`, 400, "Invalid JSON: from must be a number, not string"},
		{"unknown service", "POST", "/api/v0/graph-annotations", `{"title":"x","service":"nosvc","from":100,"to":100}`, 404, "Service nosvc not found."},
		{"unknown role", "POST", "/api/v0/graph-annotations", `{"title":"x","service":"blog","roles":["web","db"],"from":100,"to":100}`, 404, "Role blog:db not found."},
		{"invalid role name", "POST", "/api/v0/graph-annotations", `{"title":"x","service":"blog","roles":["a b"],"from":100,"to":100}`, 400, `Invalid role name "a b".`},
		{"update: from after the stored to", "PUT", "/api/v0/graph-annotations/{ann}", `{"from":9999999999}`, 400, "from must not be after to."},
		{"update: title of 251", "PUT", "/api/v0/graph-annotations/{ann}", `{"title":"` + title250 + `t"}`, 400, "title must be at most 250 characters."},
		{"update: unknown service", "PUT", "/api/v0/graph-annotations/{ann}", `{"service":"nosvc"}`, 404, "Service nosvc not found."},
		{"update: unknown role", "PUT", "/api/v0/graph-annotations/{ann}", `{"roles":["db"]}`, 404, "Role blog:db not found."},
		{"update: unknown id", "PUT", "/api/v0/graph-annotations/nope", `{"title":"x"}`, 404, "Graph annotation nope not found."},
		{"delete: unknown id", "DELETE", "/api/v0/graph-annotations/nope", "", 404, "Graph annotation nope not found."},
		{"list: no service", "GET", "/api/v0/graph-annotations?from=0&to=1", "", 400, "service, from and to are required."},
		{"list: no to", "GET", "/api/v0/graph-annotations?service=blog&from=0", "", 400, "service, from and to are required."},
		{"list: from after to", "GET", "/api/v0/graph-annotations?service=blog&from=2&to=1", "", 400, "from must not be after to."},
		{"list: from not a number", "GET", "/api/v0/graph-annotations?service=blog&from=x&to=1", "", 400, "from and to must be epoch seconds."},
		{"list: unknown service", "GET", "/api/v0/graph-annotations?service=nosvc&from=0&to=1", "", 404, "Service nosvc not found."},
	})
	// The limits themselves are accepted (runes, not bytes).
	body := fmt.Sprintf(`{"title":%q,"description":%q,"service":"blog","from":100,"to":100}`, strings.Repeat("é", 250), strings.Repeat("ü", 1024))
	if status, got := tsDo(f.env.Handler, "POST", "/api/v0/graph-annotations", body); status != 200 {
		t.Errorf("title 250 / description 1024: %d %s", status, got)
	}
}

// TestTSBodyTooLarge: a tsdb body over its cap is refused whole (413).
func TestTSBodyTooLarge(t *testing.T) {
	f := tsNewFixture(t, backend.Options{MaxMetricBodyBytes: 1024})
	var points []string
	for i := 0; len(strings.Join(points, ",")) <= 1100; i++ {
		points = append(points, fmt.Sprintf(`{"hostId":"{host}","name":"custom.x","time":%d,"value":%d}`, f.env.Clock.Now().Unix()-int64(i), i))
	}
	tsRunBad(t, f, []tsBadCase{
		{"tsdb", "POST", "/api/v0/tsdb", "[" + strings.Join(points, ",") + "]", 413, "Request body is too large (limit 1024 bytes)."},
	})
}

// TestTSBackfillWindow: points older than 24 h are dropped (200, counted
// in the answer), the rest of the request is kept; exactly 24 h old is
// still kept; a negative window keeps everything.
func TestTSBackfillWindow(t *testing.T) {
	now := backendtest.Epoch.Unix()
	day := int64(86400)
	tests := []struct {
		name   string
		window time.Duration
		want   []store.Point
		answer string
	}{
		{"default 24 h", 0, []store.Point{{Time: now - day, Value: 2}, {Time: now, Value: 3}},
			`{"success":true,"stored":2,"refused":{"tooOld":1,"retiredHost":0}}`},
		{"keep everything", -1, []store.Point{{Time: now - day - 1, Value: 1}, {Time: now - day, Value: 2}, {Time: now, Value: 3}},
			`{"success":true,"stored":3,"refused":{"tooOld":0,"retiredHost":0}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := backendtest.NewWithOptions(t, backendtest.Options{Backend: backend.Options{MetricBackfillWindow: tt.window}})
			env.MustCreateService(t, "blog")
			body := fmt.Sprintf(`[{"name":"m","time":%d,"value":2},{"name":"m","time":%d,"value":3},{"name":"m","time":%d,"value":1}]`, now-day, now, now-day-1)
			if status, got := tsDo(env.Handler, "POST", "/api/v0/services/blog/tsdb", body); status != 200 || got != tt.answer {
				t.Fatalf("POST: %d %s", status, got)
			}
			got, err := env.Store.Points(context.Background(), store.ServiceSeries("blog", "m"), 0, 1<<40)
			if err != nil || fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("stored %v (%v), want %v", got, err, tt.want)
			}
		})
	}
}

// TestTSDatabaseFailureIs500: a failing database is a 500 (which clients
// retry), never a 4xx that blames the request.
func TestTSDatabaseFailureIs500(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := backend.New(st, backend.Options{}).Handler()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ method, path, body string }{
		{"DELETE", "/api/v0/graph-defs", `{"name":"custom.a"}`},
		{"POST", "/api/v0/graph-defs/create", `[{"name":"custom.a","metrics":[]}]`},
		{"GET", "/api/v0/tsdb/latest?hostId=h&name=n", ""},
	} {
		status, got := tsDo(h, c.method, c.path, c.body)
		if status != 500 || got != tsErrorBody("Internal server error.") {
			t.Errorf("%s %s with the database closed: %d %s, want 500", c.method, c.path, status, got)
		}
	}
}

// TestTSRetiredHostPointsDropped: points for a retired host are dropped
// (counted in the answer) and the request succeeds, so the live hosts of a
// mixed batch (an agent posting for custom identifiers) keep their data.
func TestTSRetiredHostPointsDropped(t *testing.T) {
	f := tsNewFixture(t, backend.Options{})
	now := f.env.Clock.Now().Unix()
	body := fmt.Sprintf(`[{"hostId":%q,"name":"custom.live","time":%d,"value":1},{"hostId":%q,"name":"custom.gone","time":%d,"value":2}]`,
		f.host, now, f.retired, now)
	want := `{"success":true,"stored":1,"refused":{"tooOld":0,"retiredHost":1}}`
	if status, got := tsDo(f.env.Handler, "POST", "/api/v0/tsdb", body); status != 200 || got != want {
		t.Fatalf("POST /tsdb → %d %s, want 200 %s", status, got, want)
	}
	ctx := context.Background()
	if pts, err := f.env.Store.Points(ctx, store.HostSeries(f.host, "custom.live"), now, now); err != nil || len(pts) != 1 || pts[0].Value != 1 {
		t.Errorf("live host's point: %v, %v", pts, err)
	}
	if names, err := f.env.Store.MetricNames(ctx, "host", f.retired); err != nil || len(names) != 0 {
		t.Errorf("retired host's metric names: %v, %v; want none", names, err)
	}
}

// TestTSFutureBound: a point up to 10 minutes ahead of the server's clock
// is stored; one second more is refused (see TestTSBadMetricPosts).
func TestTSFutureBound(t *testing.T) {
	f := tsNewFixture(t, backend.Options{})
	edge := f.env.Clock.Now().Unix() + 600
	body := fmt.Sprintf(`[{"name":"ahead","time":%d,"value":1}]`, edge)
	want := `{"success":true,"stored":1,"refused":{"tooOld":0,"retiredHost":0}}`
	if status, got := tsDo(f.env.Handler, "POST", "/api/v0/services/blog/tsdb", body); status != 200 || got != want {
		t.Fatalf("POST 10 minutes ahead → %d %s, want 200 %s", status, got, want)
	}
	if pts, err := f.env.Store.Points(context.Background(), store.ServiceSeries("blog", "ahead"), 0, 1<<40); err != nil || len(pts) != 1 || pts[0].Time != edge {
		t.Errorf("stored %v, %v; want the point at %d", pts, err, edge)
	}
}
