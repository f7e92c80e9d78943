package graphdef_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestGraphDefs(t *testing.T) {
	e := cmdtest.New(t)
	e.SeedService("blog")
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
		r := e.RunWith(cmdtest.RunOpts{Stdin: s.stdin}, s.args...)
		if r.Code != s.code || r.Stdout != "" || r.Stderr != s.stderr {
			t.Errorf("%s: got:\n%s\nwant exit %d, stderr %q", s.name, r, s.code, s.stderr)
		}
		if s.defs != nil {
			defs = s.defs
		}
		got, err := e.Store().ListGraphDefs(context.Background())
		if err != nil || !reflect.DeepEqual(got, defs) {
			t.Errorf("%s: stored %q (%v)\nwant %q", s.name, got, err, defs)
		}
	}

	// --service deletes the service metrics of one graph.
	r := e.RunWith(cmdtest.RunOpts{Stdin: strings.ReplaceAll("req.get.count 1 {T}\nreq.post.count 2 {T}\nreq.get 3 {T}\nother.x 4 {T}\n", "{T}", fmt.Sprint(hourAgo))}, "throw", "-s", "blog")
	if r.Code != 0 {
		t.Fatalf("throw: %s", r)
	}
	r = e.Run("graph-defs", "delete", "--force", "-s", "blog", "req.*")
	if r.Code != 0 || r.Stderr != "   deleted graph definition req.*\n" {
		t.Errorf("delete service graph: got:\n%s", r)
	}
	if out := e.MustRun("metric-names", "-s", "blog", "--jq", ".[]"); out != "other.x\nreq.get\n" {
		t.Errorf("metric names after deleting req.*: %q", out)
	}
	r = e.Run("graph-defs", "delete", "-s", "blog", "--force", "req.*")
	if r.Code != 1 || r.Stderr != "     error API request failed: Graph \"req.*\" not found in service blog.\n" {
		t.Errorf("delete service graph again: got:\n%s", r)
	}
	r = e.Run("graph-defs", "delete", "-s", "nosvc", "req.*", "--force")
	if r.Code != 1 || r.Stderr != "     error API request failed: Service not found.\n" {
		t.Errorf("delete graph of unknown service: got:\n%s", r)
	}
}
