package backend_test

// mackerel-client-go v0.46.0 against the handler over loopback HTTP, for
// every issue-3 endpoint: metrics, graph definitions, graph annotations.

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

// tsMackerel returns the official client pointed at env over httptest.
func tsMackerel(t *testing.T, env *backendtest.Env) *mackerel.Client {
	t.Helper()
	srv := httptest.NewServer(env.Handler)
	t.Cleanup(srv.Close)
	mc, err := mackerel.NewClientWithOptions("ts-api-key", srv.URL, false)
	if err != nil {
		t.Fatal(err)
	}
	return mc
}

// tsAPIStatus returns the status of a *mackerel.APIError, or 0.
func tsAPIStatus(err error) int {
	var apiErr *mackerel.APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

func TestTSCompatHostMetrics(t *testing.T) {
	env := backendtest.New(t)
	mc := tsMackerel(t, env)
	h1 := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	h2 := env.MustCreateHost(t, store.NewHost{Name: "web02"})
	now := env.Clock.Now().Unix()

	// One request may mix hosts, as the agent's does.
	err := mc.PostHostMetricValues([]*mackerel.HostMetricValue{
		{HostID: h1, MetricValue: &mackerel.MetricValue{Name: "custom.cpu.user", Time: now - 120, Value: 1.5}},
		{HostID: h1, MetricValue: &mackerel.MetricValue{Name: "custom.cpu.user", Time: now - 60, Value: 2}},
		{HostID: h2, MetricValue: &mackerel.MetricValue{Name: "custom.cpu.user", Time: now - 60, Value: 0}},
		{HostID: h1, MetricValue: &mackerel.MetricValue{Name: "loadavg5", Time: now - 60, Value: -0.25}},
		// Older than 24 h: accepted and dropped.
		{HostID: h1, MetricValue: &mackerel.MetricValue{Name: "custom.old", Time: now - 86401, Value: 9}},
	})
	if err != nil {
		t.Fatalf("PostHostMetricValues: %v", err)
	}
	err = mc.PostHostMetricValuesByHostID(h2, []*mackerel.MetricValue{
		{Name: "custom.mem.used", Time: now - 30, Value: 1e9},
		{Name: "custom.cpu.user", Time: now - 60, Value: 7}, // overwrites 0
	})
	if err != nil {
		t.Fatalf("PostHostMetricValuesByHostID: %v", err)
	}

	got, err := mc.FetchHostMetricValues(h1, "custom.cpu.user", now-3600, now)
	if want := []mackerel.MetricValue{{Time: now - 120, Value: 1.5}, {Time: now - 60, Value: 2.0}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("FetchHostMetricValues = %+v, %v; want %+v", got, err, want)
	}
	got, err = mc.FetchHostMetricValues(h1, "custom.cpu.user", now-100, now-60)
	if want := []mackerel.MetricValue{{Time: now - 60, Value: 2.0}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("FetchHostMetricValues (narrow) = %+v, %v; want %+v", got, err, want)
	}
	// From 0 is a long range: the hourly mean at its hour's start, as the
	// hosted API answers long ranges with averaged points.
	got, err = mc.FetchHostMetricValues(h2, "custom.cpu.user", 0, now)
	if want := []mackerel.MetricValue{{Time: now - now%3600, Value: 7.0}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("FetchHostMetricValues (overwritten) = %+v, %v; want %+v", got, err, want)
	}
	got, err = mc.FetchHostMetricValues(h1, "custom.cpu.user", now-30, now)
	if err != nil || len(got) != 0 {
		t.Errorf("FetchHostMetricValues (empty window) = %+v, %v; want none", got, err)
	}

	latest, err := mc.FetchLatestMetricValues([]string{h1, h2}, []string{"custom.cpu.user", "custom.mem.used"})
	if err != nil {
		t.Fatalf("FetchLatestMetricValues: %v", err)
	}
	wantLatest := mackerel.LatestMetricValues{
		h1: {"custom.cpu.user": {Time: now - 60, Value: 2.0}, "custom.mem.used": nil},
		h2: {"custom.cpu.user": {Time: now - 60, Value: 7.0}, "custom.mem.used": {Time: now - 30, Value: 1e9}},
	}
	if !reflect.DeepEqual(latest, wantLatest) {
		t.Errorf("FetchLatestMetricValues = %v, want %v", latest, wantLatest)
	}

	names, err := mc.ListHostMetricNames(h1)
	if want := []string{"custom.cpu.user", "loadavg5"}; err != nil || !reflect.DeepEqual(names, want) {
		t.Errorf("ListHostMetricNames(h1) = %q, %v; want %q", names, err, want)
	}
	names, err = mc.ListHostMetricNames(h2)
	if want := []string{"custom.cpu.user", "custom.mem.used"}; err != nil || !reflect.DeepEqual(names, want) {
		t.Errorf("ListHostMetricNames(h2) = %q, %v; want %q", names, err, want)
	}

	for _, c := range []struct {
		name   string
		call   func() error
		status int
	}{
		{"unknown metric", func() error { _, err := mc.FetchHostMetricValues(h1, "custom.old", 0, now); return err }, 404},
		{"unknown host", func() error { _, err := mc.FetchHostMetricValues("nohost", "custom.cpu.user", 0, now); return err }, 404},
		{"post to an unknown host", func() error {
			return mc.PostHostMetricValuesByHostID("nohost", []*mackerel.MetricValue{{Name: "custom.x", Time: now, Value: 1}})
		}, 404},
		{"names of an unknown host", func() error { _, err := mc.ListHostMetricNames("nohost"); return err }, 404},
	} {
		if err := c.call(); tsAPIStatus(err) != c.status {
			t.Errorf("%s: err = %v, want status %d", c.name, err, c.status)
		}
	}
	if n, _ := env.Store.CountPoints(context.Background()); n != 5 {
		t.Errorf("%d points stored, want 5", n)
	}
}

func TestTSCompatServiceMetrics(t *testing.T) {
	env := backendtest.New(t)
	mc := tsMackerel(t, env)
	env.MustCreateService(t, "blog")
	now := env.Clock.Now().Unix()
	err := mc.PostServiceMetricValues("blog", []*mackerel.MetricValue{
		{Name: "req.get.count", Time: now - 60, Value: 10},
		{Name: "req.get.count", Time: now, Value: 12.5},
		{Name: "req.post.count", Time: now, Value: 3},
		{Name: "db.conns", Time: now, Value: 4},
	})
	if err != nil {
		t.Fatalf("PostServiceMetricValues: %v", err)
	}
	got, err := mc.FetchServiceMetricValues("blog", "req.get.count", now-60, now)
	if want := []mackerel.MetricValue{{Time: now - 60, Value: 10.0}, {Time: now, Value: 12.5}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("FetchServiceMetricValues = %+v, %v; want %+v", got, err, want)
	}
	names, err := mc.ListServiceMetricNames("blog")
	if want := []string{"db.conns", "req.get.count", "req.post.count"}; err != nil || !reflect.DeepEqual(names, want) {
		t.Errorf("ListServiceMetricNames = %q, %v; want %q", names, err, want)
	}

	// Deleting the service graph "req.*" drops req.get.count and
	// req.post.count; the graph comes back when metrics are posted again.
	if err := mc.DeleteServiceGraphDef("blog", "req.*"); err != nil {
		t.Fatalf("DeleteServiceGraphDef: %v", err)
	}
	names, err = mc.ListServiceMetricNames("blog")
	if want := []string{"db.conns"}; err != nil || !reflect.DeepEqual(names, want) {
		t.Errorf("after DeleteServiceGraphDef: %q, %v; want %q", names, err, want)
	}
	if _, err := mc.FetchServiceMetricValues("blog", "req.get.count", 0, now); tsAPIStatus(err) != 404 {
		t.Errorf("deleted metric: err = %v, want 404", err)
	}
	if err := mc.DeleteServiceGraphDef("blog", "req.*"); tsAPIStatus(err) != 404 {
		t.Errorf("second DeleteServiceGraphDef: err = %v, want 404", err)
	}
	if err := mc.PostServiceMetricValues("blog", []*mackerel.MetricValue{{Name: "req.get.count", Time: now, Value: 1}}); err != nil {
		t.Fatal(err)
	}
	got, err = mc.FetchServiceMetricValues("blog", "req.get.count", now-60, now)
	if want := []mackerel.MetricValue{{Time: now, Value: 1.0}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("re-posted after delete = %+v, %v; want %+v", got, err, want)
	}

	for _, c := range []struct {
		name string
		call func() error
	}{
		{"post", func() error {
			return mc.PostServiceMetricValues("nosvc", []*mackerel.MetricValue{{Name: "x", Time: now, Value: 1}})
		}},
		{"fetch", func() error { _, err := mc.FetchServiceMetricValues("nosvc", "x", 0, now); return err }},
		{"names", func() error { _, err := mc.ListServiceMetricNames("nosvc"); return err }},
		{"delete graph", func() error { return mc.DeleteServiceGraphDef("nosvc", "req.*") }},
	} {
		if err := c.call(); tsAPIStatus(err) != 404 {
			t.Errorf("%s on an unknown service: err = %v, want 404", c.name, err)
		}
	}
}

func TestTSCompatGraphDefs(t *testing.T) {
	env := backendtest.New(t)
	mc := tsMackerel(t, env)
	err := mc.CreateGraphDefs([]*mackerel.GraphDefsParam{
		{Name: "custom.cpu.foo", DisplayName: "CPU", Unit: "percentage", Metrics: []*mackerel.GraphDefsMetric{
			{Name: "custom.cpu.foo.user", DisplayName: "CPU user", IsStacked: true},
			{Name: "custom.cpu.foo.*", DisplayName: "%1", IsStacked: false},
		}},
		{Name: "custom.#.bar", Unit: "bytes/sec", Metrics: []*mackerel.GraphDefsMetric{}},
	})
	if err != nil {
		t.Fatalf("CreateGraphDefs: %v", err)
	}
	defs, err := env.Store.ListGraphDefs(context.Background())
	want := []store.GraphDef{
		{Name: "custom.#.bar", Unit: "bytes/sec", Metrics: []byte(`[]`)},
		{Name: "custom.cpu.foo", DisplayName: "CPU", Unit: "percentage", Metrics: []byte(`[{"name":"custom.cpu.foo.user","displayName":"CPU user","isStacked":true},{"name":"custom.cpu.foo.*","displayName":"%1","isStacked":false}]`)},
	}
	if err != nil || !reflect.DeepEqual(defs, want) {
		t.Errorf("stored %q (%v)\nwant %q", defs, err, want)
	}
	if err := mc.CreateGraphDefs([]*mackerel.GraphDefsParam{{Name: "cpu.nocustom", Metrics: []*mackerel.GraphDefsMetric{}}}); tsAPIStatus(err) != 400 {
		t.Errorf("invalid name: err = %v, want 400", err)
	}
	if err := mc.DeleteGraphDef("custom.cpu.foo"); err != nil {
		t.Fatalf("DeleteGraphDef: %v", err)
	}
	if err := mc.DeleteGraphDef("custom.cpu.foo"); tsAPIStatus(err) != 400 {
		t.Errorf("DeleteGraphDef of an absent definition: err = %v, want 400", err)
	}
	defs, _ = env.Store.ListGraphDefs(context.Background())
	if len(defs) != 1 || defs[0].Name != "custom.#.bar" {
		t.Errorf("after delete: %q", defs)
	}
}

func TestTSCompatGraphAnnotations(t *testing.T) {
	env := backendtest.New(t)
	mc := tsMackerel(t, env)
	env.MustCreateService(t, "blog", "web", "db")
	env.MustCreateService(t, "other")
	now := env.Clock.Now().Unix()

	created, err := mc.CreateGraphAnnotation(&mackerel.GraphAnnotation{
		Title: "Release", Description: "v1.2", From: now - 600, To: now - 300, Service: "blog", Roles: []string{"web", "db"},
	})
	if err != nil {
		t.Fatalf("CreateGraphAnnotation: %v", err)
	}
	if created.ID == "" {
		t.Fatal("no id")
	}
	want := &mackerel.GraphAnnotation{ID: created.ID, Title: "Release", Description: "v1.2", From: now - 600, To: now - 300, Service: "blog", Roles: []string{"web", "db"}}
	if !reflect.DeepEqual(created, want) {
		t.Errorf("created %+v, want %+v", created, want)
	}
	instant, err := mc.CreateGraphAnnotation(&mackerel.GraphAnnotation{Title: "Restart", From: now, To: now, Service: "blog"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mc.CreateGraphAnnotation(&mackerel.GraphAnnotation{Title: "Elsewhere", From: now - 600, To: now, Service: "other"}); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name     string
		from, to int64
		want     []string
	}{
		{"covering both", now - 3600, now, []string{created.ID, instant.ID}},
		{"touching the release's end", now - 300, now - 300, []string{created.ID}},
		{"touching the release's start", now - 900, now - 600, []string{created.ID}},
		{"between them", now - 299, now - 1, nil},
		{"on the instant", now, now + 60, []string{instant.ID}},
		{"before everything", 1, now - 601, nil},
	} {
		list, err := mc.FindGraphAnnotations("blog", c.from, c.to)
		if err != nil {
			t.Fatalf("%s: FindGraphAnnotations: %v", c.name, err)
		}
		var ids []string
		for _, a := range list {
			ids = append(ids, a.ID)
		}
		if !reflect.DeepEqual(ids, c.want) {
			t.Errorf("%s [%d, %d]: %q, want %q", c.name, c.from, c.to, ids, c.want)
		}
	}
	list, _ := mc.FindGraphAnnotations("blog", now-300, now-300)
	if len(list) != 1 || !reflect.DeepEqual(list[0], want) {
		t.Errorf("found %+v, want %+v", list, want)
	}

	// Update sends only non-empty fields (omitempty): the rest is kept.
	updated, err := mc.UpdateGraphAnnotation(created.ID, &mackerel.GraphAnnotation{Title: "Release v1.3", To: now - 100})
	wantUpdated := &mackerel.GraphAnnotation{ID: created.ID, Title: "Release v1.3", Description: "v1.2", From: now - 600, To: now - 100, Service: "blog", Roles: []string{"web", "db"}}
	if err != nil || !reflect.DeepEqual(updated, wantUpdated) {
		t.Errorf("UpdateGraphAnnotation = %+v, %v; want %+v", updated, err, wantUpdated)
	}
	if _, err := mc.UpdateGraphAnnotation(created.ID, &mackerel.GraphAnnotation{From: now + 3600}); tsAPIStatus(err) != 400 {
		t.Errorf("update to from > to: err = %v, want 400", err)
	}
	if _, err := mc.UpdateGraphAnnotation("nope", &mackerel.GraphAnnotation{Title: "x"}); tsAPIStatus(err) != 404 {
		t.Errorf("update unknown: err = %v, want 404", err)
	}

	deleted, err := mc.DeleteGraphAnnotation(created.ID)
	if err != nil || !reflect.DeepEqual(deleted, wantUpdated) {
		t.Errorf("DeleteGraphAnnotation = %+v, %v; want %+v", deleted, err, wantUpdated)
	}
	if _, err := mc.DeleteGraphAnnotation(created.ID); tsAPIStatus(err) != 404 {
		t.Errorf("second delete: err = %v, want 404", err)
	}
	list, err = mc.FindGraphAnnotations("blog", 0, now+3600)
	if err != nil || len(list) != 1 || list[0].ID != instant.ID {
		t.Errorf("after delete: %+v, %v", list, err)
	}

	for _, c := range []struct {
		name   string
		a      *mackerel.GraphAnnotation
		status int
	}{
		{"unknown service", &mackerel.GraphAnnotation{Title: "x", From: now, To: now, Service: "nosvc"}, 404},
		{"unknown role", &mackerel.GraphAnnotation{Title: "x", From: now, To: now, Service: "blog", Roles: []string{"cache"}}, 404},
		{"from after to", &mackerel.GraphAnnotation{Title: "x", From: now, To: now - 1, Service: "blog"}, 400},
		{"no title", &mackerel.GraphAnnotation{From: now, To: now, Service: "blog"}, 400},
	} {
		if _, err := mc.CreateGraphAnnotation(c.a); tsAPIStatus(err) != c.status {
			t.Errorf("create with %s: err = %v, want %d", c.name, err, c.status)
		}
	}
	if _, err := mc.FindGraphAnnotations("nosvc", 0, now); tsAPIStatus(err) != 404 {
		t.Errorf("find on an unknown service: err = %v, want 404", err)
	}
	if list, _ := mc.FindGraphAnnotations("blog", 0, now+3600); len(list) != 1 {
		t.Errorf("rejected creates stored something: %d annotations", len(list))
	}
}

// TestTSCompatPostAnswerCounts pins the answer of both tsdb POSTs: the
// hosted API's {"success":true} plus mkr's additive fields "stored" and
// "refused" (by reason, every reason present), which mackerel-client-go
// ignores; README "Differences from upstream" documents the shape.
func TestTSCompatPostAnswerCounts(t *testing.T) {
	env := backendtest.New(t)
	h := env.MustCreateHost(t, store.NewHost{Name: "web01"})
	gone := env.MustCreateHost(t, store.NewHost{Name: "gone"})
	if err := env.Engine.RetireHosts(context.Background(), []string{gone}); err != nil {
		t.Fatal(err)
	}
	env.MustCreateService(t, "blog")
	now := env.Clock.Now().Unix()
	for _, c := range []struct{ path, body, want string }{
		{"/api/v0/tsdb", fmt.Sprintf(`[{"hostId":%q,"name":"custom.a","time":%d,"value":1},{"hostId":%q,"name":"custom.a","time":%d,"value":2},`+
			`{"hostId":%q,"name":"custom.a","time":%d,"value":3},{"hostId":%q,"name":"custom.a","time":%d,"value":4}]`,
			h, now, h, now-86401, gone, now, h, now-60),
			`{"success":true,"stored":2,"refused":{"tooOld":1,"retiredHost":1}}`},
		{"/api/v0/services/blog/tsdb", fmt.Sprintf(`[{"name":"a","time":%d,"value":1}]`, now),
			`{"success":true,"stored":1,"refused":{"tooOld":0,"retiredHost":0}}`},
		{"/api/v0/tsdb", `[]`, `{"success":true,"stored":0,"refused":{"tooOld":0,"retiredHost":0}}`},
		{"/api/v0/tsdb", `null`, `{"success":true,"stored":0,"refused":{"tooOld":0,"retiredHost":0}}`},
	} {
		if status, got := tsDo(env.Handler, "POST", c.path, c.body); status != 200 || got != c.want {
			t.Errorf("POST %s %s\n→ %d %s\nwant 200 %s", c.path, c.body, status, got, c.want)
		}
	}
	// The official client ignores the additional fields.
	mc := tsMackerel(t, env)
	err := mc.PostHostMetricValues([]*mackerel.HostMetricValue{
		{HostID: h, MetricValue: &mackerel.MetricValue{Name: "custom.b", Time: now, Value: 1}},
		{HostID: gone, MetricValue: &mackerel.MetricValue{Name: "custom.b", Time: now, Value: 1}},
		{HostID: h, MetricValue: &mackerel.MetricValue{Name: "custom.b", Time: now - 86401, Value: 1}},
	})
	if err != nil {
		t.Errorf("PostHostMetricValues: %v", err)
	}
	if err := mc.PostServiceMetricValues("blog", []*mackerel.MetricValue{{Name: "b", Time: now, Value: 1}}); err != nil {
		t.Errorf("PostServiceMetricValues: %v", err)
	}
	if n, _ := env.Store.CountPoints(context.Background()); n != 5 {
		t.Errorf("%d points stored, want 5", n)
	}
}
