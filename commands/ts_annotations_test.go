package commands

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// tsAnnotations returns every annotation of svc, by start time.
func (e *tsEnv) annotations(svc string) []*store.Annotation {
	e.tb.Helper()
	list, err := e.store.ListAnnotations(context.Background(), svc, 0, 1<<62)
	if err != nil {
		e.tb.Fatalf("ListAnnotations: %v", err)
	}
	return list
}

// mustID runs an `annotations create … --jq .id` and returns the id.
func (e *tsEnv) mustID(args ...string) string {
	e.tb.Helper()
	out := e.mustRun(append(args, "--jq", ".id")...)
	id := strings.TrimSuffix(out, "\n")
	if id == "" || strings.ContainsAny(id, " \n\"{") {
		e.tb.Fatalf("--jq .id printed %q", out)
	}
	return id
}

func TestTSAnnotationsCreateDefaults(t *testing.T) {
	now := tsNow.Unix()
	tests := []struct {
		name             string
		args             []string
		stdin            string
		wantFrom, wantTo int64
		wantDesc         string
		wantRoles        []string
	}{
		{"from defaults to now, to to from", nil, "", now, now, "", nil},
		{"to defaults to from", []string{"--from", "-2h"}, "", now - 7200, now - 7200, "", nil},
		{"from defaults to now when only to is given", []string{"--to", "now+30m"}, "", now, now + 1800, "", nil},
		{"relative, now and roles", []string{"--from", "now-1h", "--to", "now", "-r", "web", "-r", "db"}, "", now - 3600, now, "", []string{"web", "db"}},
		{"RFC 3339 and epoch", []string{"--from", "2024-05-06T00:00:00Z", "--to", "1714979289"}, "", 1714953600, now, "", nil},
		{"RFC 3339 with an offset", []string{"--from", "2024-05-06T09:00:00+09:00"}, "", 1714953600, 1714953600, "", nil},
		{"description", []string{"--description", "rolled out v2"}, "", now, now, "rolled out v2", nil},
		{"description from stdin keeps its newline", []string{"--description-file", "-"}, "line one\nline two\n", now, now, "line one\nline two\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tsNewEnv(t)
			e.service("blog", "web", "db")
			args := append([]string{"annotations", "create", "--title", "deploy", "-s", "blog", "--jq", ".id"}, tt.args...)
			r := e.run(tt.stdin, args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("got:\n%s", r)
			}
			list := e.annotations("blog")
			if len(list) != 1 {
				t.Fatalf("%d annotations stored, want 1", len(list))
			}
			a := list[0]
			if r.stdout != a.ID+"\n" {
				t.Errorf("--jq .id printed %q, stored id %q", r.stdout, a.ID)
			}
			want := store.Annotation{ID: a.ID, Service: "blog", Title: "deploy", Description: tt.wantDesc, From: tt.wantFrom, To: tt.wantTo, Roles: tt.wantRoles}
			if want.Roles == nil {
				want.Roles = []string{}
			}
			if !reflect.DeepEqual(*a, want) {
				t.Errorf("stored %+v\nwant   %+v", *a, want)
			}
		})
	}
}

func TestTSAnnotationsCreatePrintsJSON(t *testing.T) {
	e := tsNewEnv(t)
	e.service("blog", "web")
	r := e.run("", "annotations", "create", "--title", "v1.2", "--description", "rel", "--from", "-1h", "--to", "now", "-s", "blog", "-r", "web")
	id := ""
	if list := e.annotations("blog"); len(list) == 1 {
		id = list[0].ID
	}
	want := fmt.Sprintf("{\n    \"id\": %q,\n    \"title\": \"v1.2\",\n    \"description\": \"rel\",\n    \"from\": %d,\n    \"to\": %d,\n    \"service\": \"blog\",\n    \"roles\": [\n        \"web\"\n    ]\n}\n", id, tsT, tsNow.Unix())
	if r.code != 0 || r.stdout != want || r.stderr != "" {
		t.Errorf("got:\n%s\nwant stdout:\n%s", r, want)
	}
}

// TestTSAnnotationsFailures: each rejected create leaves nothing stored;
// --best-effort turns an API failure (not a usage error) into a warning.
func TestTSAnnotationsFailures(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		lastStderr string
	}{
		{"unknown service", []string{"--title", "x", "-s", "nosvc"}, 1,
			"     error API request failed: Service nosvc not found.\n"},
		{"unknown service, best effort", []string{"--title", "x", "-s", "nosvc", "--best-effort"}, 0,
			"   warning creating the annotation failed (ignored, --best-effort): API request failed: Service nosvc not found.\n"},
		{"unknown role", []string{"--title", "x", "-s", "blog", "-r", "web", "-r", "cache"}, 1,
			"     error API request failed: Role blog:cache not found.\n"},
		{"unknown role, best effort", []string{"--title", "x", "-s", "blog", "-r", "cache", "--best-effort"}, 0,
			"   warning creating the annotation failed (ignored, --best-effort): API request failed: Role blog:cache not found.\n"},
		{"title of 251 characters", []string{"--title", strings.Repeat("t", 251), "-s", "blog"}, 1,
			"     error API request failed: title must be at most 250 characters.\n"},
		{"description of 1025 characters", []string{"--title", "x", "--description", strings.Repeat("d", 1025), "-s", "blog"}, 1,
			"     error API request failed: description must be at most 1024 characters.\n"},
		{"from after to", []string{"--title", "x", "-s", "blog", "--from", "now", "--to", "-1h"}, 1,
			fmt.Sprintf("     error --from (%d) is after --to (%d)\n", tsNow.Unix(), tsT)},
		{"from after to is a usage error even with best effort", []string{"--title", "x", "-s", "blog", "--from", "now", "--to", "-1h", "--best-effort"}, 1,
			fmt.Sprintf("     error --from (%d) is after --to (%d)\n", tsNow.Unix(), tsT)},
		{"bad time", []string{"--title", "x", "-s", "blog", "--from", "yesterday"}, 1,
			"     error --from: invalid time \"yesterday\": use epoch seconds, RFC 3339 (2006-01-02T15:04:05Z), now, or a relative time such as -1h, now-30m, -7d\n"},
		{"no title", []string{"-s", "blog"}, 1,
			"     error `title` is a required field to create a graph annotation.\n"},
		{"no service", []string{"--title", "x"}, 1,
			"     error `service` is a required field to create a graph annotation.\n"},
		{"description twice", []string{"--title", "x", "-s", "blog", "--description", "a", "--description-file", "-"}, 1,
			"     error specify one of `description` or `description-file`.\n"},
	}
	e := tsNewEnv(t)
	e.service("blog", "web")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.run("", append([]string{"annotations", "create"}, tt.args...)...)
			if r.code != tt.code || r.stdout != "" || !strings.HasSuffix(r.stderr, tt.lastStderr) {
				t.Errorf("got:\n%s\nwant exit %d, stderr ending %q", r, tt.code, tt.lastStderr)
			}
			if n := len(e.annotations("blog")); n != 0 {
				t.Errorf("%d annotations stored", n)
			}
		})
	}
	// Exactly 250 and 1024 characters (runes, not bytes) are accepted.
	title, desc := strings.Repeat("é", 250), strings.Repeat("ü", 1024)
	e.mustID("annotations", "create", "--title", title, "--description", desc, "-s", "blog")
	if list := e.annotations("blog"); len(list) != 1 || list[0].Title != title || list[0].Description != desc {
		t.Errorf("limits: %d annotations stored", len(list))
	}
}

// TestTSAnnotationsLifecycle: list windows (intersection, touching edges
// included), update and delete.
func TestTSAnnotationsLifecycle(t *testing.T) {
	e := tsNewEnv(t)
	e.service("blog", "web")
	e.service("other")
	now := tsNow.Unix()
	at := func(d int64) string { return fmt.Sprint(now + d) }
	ids := map[string]string{
		"old":     e.mustID("annotations", "create", "--title", "old", "-s", "blog", "--from", at(-48*3600), "--to", at(-47*3600)),
		"span":    e.mustID("annotations", "create", "--title", "span", "-s", "blog", "--from", at(-7200), "--to", at(-3600)),
		"instant": e.mustID("annotations", "create", "--title", "instant", "-s", "blog", "--from", at(-5400), "-r", "web"),
		"now":     e.mustID("annotations", "create", "--title", "now", "-s", "blog"),
	}
	e.mustID("annotations", "create", "--title", "elsewhere", "-s", "other", "--from", at(-7200), "--to", at(-3600))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"default window: the last 24 hours", nil, "now\ninstant\nspan\n"},
		{"window touching span's end", []string{"--from", at(-3600), "--to", at(-3000)}, "span\n"},
		{"window touching span's start", []string{"--from", at(-9000), "--to", at(-7200)}, "span\n"},
		{"window in the gap", []string{"--from", at(-3599), "--to", at(-1)}, ""},
		{"window on the instant", []string{"--from", at(-5400), "--to", at(-5400)}, "instant\nspan\n"},
		{"window inside span, relative times", []string{"--from", "-1h45m", "--to", "now-1h15m"}, "instant\nspan\n"},
		{"two days", []string{"--from", "-2d"}, "now\ninstant\nspan\nold\n"},
		{"a window of one instant: now", []string{"--from", "now", "--to", "now"}, "now\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"annotations", "list", "-s", "blog", "--jq", "sort_by(-.from) | .[].title"}, tt.args...)
			r := e.run("", args...)
			if r.code != 0 || r.stdout != tt.want || r.stderr != "" {
				t.Errorf("got:\n%s\nwant stdout %q", r, tt.want)
			}
		})
	}
	// The list prints what the API returned, in full.
	out := e.mustRun("annotations", "list", "-s", "blog", "--from", at(-5400), "--to", at(-5400), "--jq", `.[] | select(.title == "instant")`)
	want := fmt.Sprintf(`{"from":%d,"id":%q,"roles":["web"],"service":"blog","title":"instant","to":%d}`+"\n", now-5400, ids["instant"], now-5400)
	if out != want {
		t.Errorf("list item = %q, want %q", out, want)
	}

	// update: only the given fields change.
	r := e.run("", "annotations", "update", "--id", ids["span"], "--title", "span v2", "--to", at(-1800), "--jq", `"\(.title) \(.from) \(.to) \(.service)"`)
	if want := fmt.Sprintf("span v2 %d %d blog\n", now-7200, now-1800); r.code != 0 || r.stdout != want {
		t.Errorf("update: got:\n%s\nwant stdout %q", r, want)
	}
	// A --from after the stored to is caught by the API (400), not stored.
	r = e.run("", "annotations", "update", "--id", ids["span"], "--from", at(-600))
	if r.code != 1 || !strings.HasSuffix(r.stderr, "     error API request failed: from must not be after to.\n") {
		t.Errorf("update from > to: got:\n%s", r)
	}
	r = e.run("", "annotations", "update", "--id", "nope", "--title", "x")
	if r.code != 1 || r.stderr != "     error API request failed: Graph annotation nope not found.\n" {
		t.Errorf("update unknown: got:\n%s", r)
	}
	r = e.run("", "annotations", "update", "--id", "nope", "--title", "x", "--best-effort")
	if r.code != 0 || r.stderr != "   warning updating the annotation failed (ignored, --best-effort): API request failed: Graph annotation nope not found.\n" {
		t.Errorf("update unknown, best effort: got:\n%s", r)
	}
	var span *store.Annotation
	for _, a := range e.annotations("blog") {
		if a.ID == ids["span"] {
			span = a
		}
	}
	if span == nil || span.Title != "span v2" || span.From != now-7200 || span.To != now-1800 {
		t.Errorf("stored span = %+v", span)
	}

	// delete prints the annotation as it was; a second delete is a 404.
	r = e.run("", "annotations", "delete", "--id", ids["instant"], "--jq", ".title")
	if r.code != 0 || r.stdout != "instant\n" {
		t.Errorf("delete: got:\n%s", r)
	}
	r = e.run("", "annotations", "delete", "--id", ids["instant"])
	if r.code != 1 || r.stderr != fmt.Sprintf("     error API request failed: Graph annotation %s not found.\n", ids["instant"]) {
		t.Errorf("second delete: got:\n%s", r)
	}
	r = e.run("", "annotations", "delete", "--id", ids["instant"], "--best-effort")
	if r.code != 0 || r.stdout != "" || !strings.HasPrefix(r.stderr, "   warning deleting the annotation failed (ignored, --best-effort)") {
		t.Errorf("second delete, best effort: got:\n%s", r)
	}
	var titles []string
	for _, a := range e.annotations("blog") {
		titles = append(titles, a.Title)
	}
	if !reflect.DeepEqual(titles, []string{"old", "span v2", "now"}) {
		t.Errorf("left: %q", titles)
	}
	r = e.run("", "annotations", "list", "-s", "nosvc")
	if r.code != 1 || r.stderr != "     error API request failed: Service nosvc not found.\n" {
		t.Errorf("list unknown service: got:\n%s", r)
	}
}

func TestTSGraphDefs(t *testing.T) {
	e := tsNewEnv(t)
	e.service("blog")
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	one := write("one.json", "\xef\xbb\xbf"+`{"name":"custom.cpu.foo","displayName":"CPU","unit":"percentage",
		"metrics":[{"name":"custom.cpu.foo.user","displayName":"user","isStacked":true}]}`)
	many := write("many.json", `[{"name":"custom.a.*","unit":"integer","metrics":[{"name":"custom.a.*.x","isStacked":false}]},
		{"name":"custom.cpu.foo","displayName":"CPU 2","unit":"float","metrics":[]}]`)
	bad := write("bad.json", `[{"name":"custom.ok","metrics":[]},{"name":"cpu.nocustom","metrics":[]}]`)
	steps := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		stderr string
		defs   []store.GraphDef
	}{
		{"create one", []string{"graph-defs", "create", "-F", one}, "", 0, "   created graph definition custom.cpu.foo\n",
			[]store.GraphDef{{Name: "custom.cpu.foo", DisplayName: "CPU", Unit: "percentage", Metrics: []byte(`[{"name":"custom.cpu.foo.user","displayName":"user","isStacked":true}]`)}}},
		{"create many, replacing by name", []string{"graph-defs", "create", "--file-path", many}, "", 0,
			"   created graph definition custom.a.*\n   created graph definition custom.cpu.foo\n",
			[]store.GraphDef{
				{Name: "custom.a.*", Unit: "integer", Metrics: []byte(`[{"name":"custom.a.*.x","isStacked":false}]`)},
				{Name: "custom.cpu.foo", DisplayName: "CPU 2", Unit: "float", Metrics: []byte(`[]`)},
			}},
		{"one bad definition rejects the file", []string{"graph-defs", "create", "-F", bad}, "", 1,
			"     error API request failed: Invalid graph name \"cpu.nocustom\": expected custom.<name>[.<name>…] where a part may be * or # (# at most once).\n", nil},
		{"from stdin, unknown unit", []string{"graph-defs", "create", "-F", "-"}, `{"name":"custom.z","unit":"furlongs","metrics":[]}`, 1,
			"     error API request failed: Invalid unit \"furlongs\" for custom.z: use one of float, integer, percentage, seconds, milliseconds, bytes, bytes/sec, bits/sec, iops.\n", nil},
		{"delete", []string{"graph-defs", "delete", "custom.a.*"}, "", 0, "   deleted graph definition custom.a.*\n",
			[]store.GraphDef{{Name: "custom.cpu.foo", DisplayName: "CPU 2", Unit: "float", Metrics: []byte(`[]`)}}},
		{"delete again: 400", []string{"graph-defs", "delete", "custom.a.*"}, "", 1,
			"     error API request failed: Graph definition \"custom.a.*\" not found.\n", nil},
	}
	var defs []store.GraphDef
	for _, s := range steps {
		r := e.run(s.stdin, s.args...)
		if r.code != s.code || r.stdout != "" || r.stderr != s.stderr {
			t.Errorf("%s: got:\n%s\nwant exit %d, stderr %q", s.name, r, s.code, s.stderr)
		}
		if s.defs != nil {
			defs = s.defs
		}
		got, err := e.store.ListGraphDefs(context.Background())
		if err != nil || !reflect.DeepEqual(got, defs) {
			t.Errorf("%s: stored %q (%v)\nwant %q", s.name, got, err, defs)
		}
	}

	// --service deletes the service metrics of one graph.
	r := e.run(tsExpand("req.get.count 1 {T}\nreq.post.count 2 {T}\nreq.get 3 {T}\nother.x 4 {T}\n", ""), "throw", "-s", "blog")
	if r.code != 0 {
		t.Fatalf("throw: %s", r)
	}
	r = e.run("", "graph-defs", "delete", "-s", "blog", "req.*")
	if r.code != 0 || r.stderr != "   deleted graph definition req.*\n" {
		t.Errorf("delete service graph: got:\n%s", r)
	}
	if out := e.mustRun("metric-names", "-s", "blog", "--jq", ".[]"); out != "other.x\nreq.get\n" {
		t.Errorf("metric names after deleting req.*: %q", out)
	}
	r = e.run("", "graph-defs", "delete", "-s", "blog", "req.*")
	if r.code != 1 || r.stderr != "     error API request failed: Graph \"req.*\" not found in service blog.\n" {
		t.Errorf("delete service graph again: got:\n%s", r)
	}
	r = e.run("", "graph-defs", "delete", "-s", "nosvc", "req.*")
	if r.code != 1 || r.stderr != "     error API request failed: Service not found.\n" {
		t.Errorf("delete graph of unknown service: got:\n%s", r)
	}
}
