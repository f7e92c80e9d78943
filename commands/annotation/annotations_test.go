package annotation_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestAnnotationsCreateDefaults(t *testing.T) {
	now := cmdtest.Epoch.Unix()
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
			e := cmdtest.New(t)
			e.SeedService("blog", "web", "db")
			args := append([]string{"annotations", "create", "--title", "deploy", "-s", "blog", "--jq", ".id"}, tt.args...)
			r := e.RunWith(cmdtest.RunOpts{Stdin: tt.stdin}, args...)
			if r.Code != 0 || r.Stderr != "" {
				t.Fatalf("got:\n%s", r)
			}
			list := annotations(e, "blog")
			if len(list) != 1 {
				t.Fatalf("%d annotations stored, want 1", len(list))
			}
			a := list[0]
			if r.Stdout != a.ID+"\n" {
				t.Errorf("--jq .id printed %q, stored id %q", r.Stdout, a.ID)
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

func TestAnnotationsCreatePrintsJSON(t *testing.T) {
	e := cmdtest.New(t)
	e.SeedService("blog", "web")
	r := e.Run("annotations", "create", "--title", "v1.2", "--description", "rel", "--from", "-1h", "--to", "now", "-s", "blog", "-r", "web")
	id := ""
	if list := annotations(e, "blog"); len(list) == 1 {
		id = list[0].ID
	}
	want := fmt.Sprintf("{\n    \"id\": %q,\n    \"title\": \"v1.2\",\n    \"description\": \"rel\",\n    \"from\": %d,\n    \"to\": %d,\n    \"service\": \"blog\",\n    \"roles\": [\n        \"web\"\n    ]\n}\n", id, hourAgo, cmdtest.Epoch.Unix())
	if r.Code != 0 || r.Stdout != want || r.Stderr != "" {
		t.Errorf("got:\n%s\nwant stdout:\n%s", r, want)
	}
}

// TestAnnotationsFailures: each rejected create leaves nothing stored;
// --best-effort turns an API failure (not a usage error) into a warning.
func TestAnnotationsFailures(t *testing.T) {
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
			fmt.Sprintf("     error --from (%d) is after --to (%d)\n", cmdtest.Epoch.Unix(), hourAgo) + createUsage},
		{"from after to is a usage error even with best effort", []string{"--title", "x", "-s", "blog", "--from", "now", "--to", "-1h", "--best-effort"}, 1,
			fmt.Sprintf("     error --from (%d) is after --to (%d)\n", cmdtest.Epoch.Unix(), hourAgo) + createUsage},
		{"bad time", []string{"--title", "x", "-s", "blog", "--from", "yesterday"}, 1,
			"     error --from: invalid time \"yesterday\": use epoch seconds, RFC 3339 (2006-01-02T15:04:05Z), now, or a relative time such as -1h, now-30m, -7d\n" + createUsage},
		// 0 is "not given" to the API; a given 0 is refused, not read as now.
		{"from 0", []string{"--title", "x", "-s", "blog", "--from", "0"}, 1,
			"     error --from: \"0\" is not a time after 1970-01-01T00:00:00Z (epoch seconds)\n" + createUsage},
		{"to 0 with best effort", []string{"--title", "x", "-s", "blog", "--to", "0", "--best-effort"}, 1,
			"     error --to: \"0\" is not a time after 1970-01-01T00:00:00Z (epoch seconds)\n" + createUsage},
		{"no title", []string{"-s", "blog"}, 1,
			"     error `title` is a required field to create a graph annotation.\n" + createUsage},
		{"no service", []string{"--title", "x"}, 1,
			"     error `service` is a required field to create a graph annotation.\n" + createUsage},
		{"description twice", []string{"--title", "x", "-s", "blog", "--description", "a", "--description-file", "-"}, 1,
			"     error specify one of `description` or `description-file`.\n" + createUsage},
	}
	e := cmdtest.New(t)
	e.SeedService("blog", "web")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Run(append([]string{"annotations", "create"}, tt.args...)...)
			if r.Code != tt.code || r.Stdout != "" || !strings.HasSuffix(r.Stderr, tt.lastStderr) {
				t.Errorf("got:\n%s\nwant exit %d, stderr ending %q", r, tt.code, tt.lastStderr)
			}
			if n := len(annotations(e, "blog")); n != 0 {
				t.Errorf("%d annotations stored", n)
			}
		})
	}
	// Exactly 250 and 1024 characters (runes, not bytes) are accepted.
	title, desc := strings.Repeat("é", 250), strings.Repeat("ü", 1024)
	mustID(e, "annotations", "create", "--title", title, "--description", desc, "-s", "blog")
	if list := annotations(e, "blog"); len(list) != 1 || list[0].Title != title || list[0].Description != desc {
		t.Errorf("limits: %d annotations stored", len(list))
	}
}

// TestAnnotationsLifecycle: list windows (intersection, touching edges
// included), update and delete.
func TestAnnotationsLifecycle(t *testing.T) {
	e := cmdtest.New(t)
	e.SeedService("blog", "web")
	e.SeedService("other")
	now := cmdtest.Epoch.Unix()
	at := func(d int64) string { return fmt.Sprint(now + d) }
	ids := map[string]string{
		"old":     mustID(e, "annotations", "create", "--title", "old", "-s", "blog", "--from", at(-48*3600), "--to", at(-47*3600)),
		"span":    mustID(e, "annotations", "create", "--title", "span", "-s", "blog", "--from", at(-7200), "--to", at(-3600)),
		"instant": mustID(e, "annotations", "create", "--title", "instant", "-s", "blog", "--from", at(-5400), "-r", "web"),
		"now":     mustID(e, "annotations", "create", "--title", "now", "-s", "blog"),
	}
	mustID(e, "annotations", "create", "--title", "elsewhere", "-s", "other", "--from", at(-7200), "--to", at(-3600))
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
			r := e.Run(args...)
			if r.Code != 0 || r.Stdout != tt.want || r.Stderr != "" {
				t.Errorf("got:\n%s\nwant stdout %q", r, tt.want)
			}
		})
	}
	// The list prints what the API returned, in full.
	out := e.MustRun("annotations", "list", "-s", "blog", "--from", at(-5400), "--to", at(-5400), "--jq", `.[] | select(.title == "instant")`)
	want := fmt.Sprintf(`{"from":%d,"id":%q,"roles":["web"],"service":"blog","title":"instant","to":%d}`+"\n", now-5400, ids["instant"], now-5400)
	if out != want {
		t.Errorf("list item = %q, want %q", out, want)
	}

	// update: only the given fields change.
	r := e.Run("annotations", "update", "--id", ids["span"], "--title", "span v2", "--to", at(-1800), "--jq", `"\(.title) \(.from) \(.to) \(.service)"`)
	if want := fmt.Sprintf("span v2 %d %d blog\n", now-7200, now-1800); r.Code != 0 || r.Stdout != want {
		t.Errorf("update: got:\n%s\nwant stdout %q", r, want)
	}
	// A --from after the stored to is caught by the API (400), not stored.
	r = e.Run("annotations", "update", "--id", ids["span"], "--from", at(-600))
	if r.Code != 1 || !strings.HasSuffix(r.Stderr, "     error API request failed: from must not be after to.\n") {
		t.Errorf("update from > to: got:\n%s", r)
	}
	r = e.Run("annotations", "update", "--id", "nope", "--title", "x")
	if r.Code != 1 || r.Stderr != "     error API request failed: Graph annotation nope not found.\n" {
		t.Errorf("update unknown: got:\n%s", r)
	}
	r = e.Run("annotations", "update", "--id", "nope", "--title", "x", "--best-effort")
	if r.Code != 0 || r.Stderr != "   warning updating the annotation failed (ignored, --best-effort): API request failed: Graph annotation nope not found.\n" {
		t.Errorf("update unknown, best effort: got:\n%s", r)
	}
	var span *store.Annotation
	for _, a := range annotations(e, "blog") {
		if a.ID == ids["span"] {
			span = a
		}
	}
	if span == nil || span.Title != "span v2" || span.From != now-7200 || span.To != now-1800 {
		t.Errorf("stored span = %+v", span)
	}

	// delete prints the annotation as it was; a second delete is a 404.
	r = e.Run("annotations", "delete", "--id", ids["instant"], "--jq", ".title")
	if r.Code != 0 || r.Stdout != "instant\n" {
		t.Errorf("delete: got:\n%s", r)
	}
	r = e.Run("annotations", "delete", "--id", ids["instant"])
	if r.Code != 1 || r.Stderr != fmt.Sprintf("     error API request failed: Graph annotation %s not found.\n", ids["instant"]) {
		t.Errorf("second delete: got:\n%s", r)
	}
	r = e.Run("annotations", "delete", "--id", ids["instant"], "--best-effort")
	if r.Code != 0 || r.Stdout != "" || !strings.HasPrefix(r.Stderr, "   warning deleting the annotation failed (ignored, --best-effort)") {
		t.Errorf("second delete, best effort: got:\n%s", r)
	}
	var titles []string
	for _, a := range annotations(e, "blog") {
		titles = append(titles, a.Title)
	}
	if !reflect.DeepEqual(titles, []string{"old", "span v2", "now"}) {
		t.Errorf("left: %q", titles)
	}
	r = e.Run("annotations", "list", "-s", "nosvc")
	if r.Code != 1 || r.Stderr != "     error API request failed: Service nosvc not found.\n" {
		t.Errorf("list unknown service: got:\n%s", r)
	}
}

// createUsage ends the stderr of a usage mistake in annotations create.
const createUsage = "Run 'mkr annotations create --help' for usage.\n"

// TestAnnotationsCreateTruncate: --truncate keeps an over-long check
// message as an annotation, cut in the middle within the API's limits,
// with a warning; without it the API's refusal stands.
func TestAnnotationsCreateTruncate(t *testing.T) {
	title := "T" + strings.Repeat("t", 300) + "END"
	desc := "CRITICAL: disk\n" + strings.Repeat("x", 2200) + "\nlast line"
	for _, tty := range []bool{false, true} {
		e := cmdtest.New(t)
		e.SeedService("blog")
		r := e.RunWith(cmdtest.RunOpts{TTY: tty}, "annotations", "create", "--truncate", "-s", "blog", "--title", title, "--description", desc, "--jq", ".title | length")
		e.Check(r, cmdtest.Want{Stdout: "250\n", Stderr: cmdtest.LogLine(tty, "warning", "the title was cut to 250 characters (--truncate)") +
			cmdtest.LogLine(tty, "warning", "the description was cut to 1024 characters (--truncate)")})
		list := annotations(e, "blog")
		if len(list) != 1 {
			t.Fatalf("%d annotations stored, want 1", len(list))
		}
		a := list[0]
		if !strings.HasPrefix(a.Title, "Ttt") || !strings.HasSuffix(a.Title, "tEND") || !strings.Contains(a.Title, " […") {
			t.Errorf("title %q: want head, marker and tail", a.Title)
		}
		if n := utf8.RuneCountInString(a.Description); n != 1024 || !strings.HasPrefix(a.Description, "CRITICAL: disk\nxx") || !strings.HasSuffix(a.Description, "x\nlast line") ||
			!strings.Contains(a.Description, " […1226 characters cut…] ") {
			t.Errorf("description of %d characters: %q…%q", n, a.Description[:20], a.Description[len(a.Description)-40:])
		}
	}
	// Short values are left alone, without a warning.
	e := cmdtest.New(t)
	e.SeedService("blog")
	r := e.Run("annotations", "create", "--truncate", "-s", "blog", "--title", "deploy", "--description", "v2", "--jq", ".title + \" \" + .description")
	e.Check(r, cmdtest.Want{Stdout: "deploy v2\n"})
}
