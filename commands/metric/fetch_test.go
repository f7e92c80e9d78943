package metric_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// TestFetchManyHosts: fetch splits host ids into requests of 100 and
// merges the answers; a host without data gets null.
func TestFetchManyHosts(t *testing.T) {
	e := cmdtest.New(t)
	args := []string{"fetch", "-n", "custom.x", "--jq", `to_entries | map("\(.key)=\(.value["custom.x"].value // "null")") | .[]`}
	var points []store.SeriesPoint
	want := map[string]string{}
	for i := 0; i < 230; i++ {
		id := seedHost(e, fmt.Sprintf("h%03d", i))
		args = append(args, id)
		want[id] = "null"
		if i%7 != 0 {
			points = append(points, store.SeriesPoint{Key: store.HostSeries(id, "custom.x"), Point: store.Point{Time: hourAgo, Value: float64(i)}})
			want[id] = fmt.Sprint(i)
		}
	}
	if err := e.Store().InsertPoints(t.Context(), points); err != nil {
		t.Fatal(err)
	}
	r := e.Run(args...)
	if r.Code != 0 || r.Stderr != "" {
		t.Fatalf("got:\n%s", r)
	}
	lines := strings.Split(strings.TrimSuffix(r.Stdout, "\n"), "\n")
	got := map[string]string{}
	for _, l := range lines {
		k, v, _ := strings.Cut(l, "=")
		got[k] = v
	}
	if len(lines) != 230 || !reflect.DeepEqual(got, want) {
		t.Errorf("fetch printed %d hosts; mismatches:", len(lines))
		for id, w := range want {
			if got[id] != w {
				t.Errorf("  %s = %q, want %q", id, got[id], w)
			}
		}
	}
	// Three requests: 100 + 100 + 30 hosts.
	r = e.RunWith(cmdtest.RunOpts{Env: map[string]string{"DEBUG": "1"}}, args...)
	if r.Code != 0 {
		t.Fatalf("exit %d", r.Code)
	}
	if n := strings.Count(r.Stderr, "> GET http://mkr.local/api/v0/tsdb/latest?"); n != 3 {
		t.Errorf("%d tsdb/latest requests, want 3", n)
	}
	// A host with no metrics has no metric names.
	if out := e.MustRun("metric-names", "-H", args[5], "--jq", "length"); out != "0\n" {
		t.Errorf("metric-names of h000 = %q", out)
	}
}

// TestFetchUnknownHost: the API answers an unknown host id like a host
// without data; fetch names it and exits 1 instead of printing null.
func TestFetchUnknownHost(t *testing.T) {
	e := cmdtest.New(t)
	h := seedHost(e, "web01")
	for _, tty := range []bool{false, true} {
		r := e.RunWith(cmdtest.RunOpts{TTY: tty}, "fetch", "-n", "custom.m", h, "nosuchhost")
		e.Check(r, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(tty, "error", "host not found: nosuchhost")})
		r = e.RunWith(cmdtest.RunOpts{TTY: tty}, "fetch", "-n", "custom.m", "nope1", "nope2", "--jq", ".")
		e.Check(r, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(tty, "error", "hosts not found: nope1, nope2")})
	}
	// A host that exists but has no data is still null, exit 0.
	r := e.Run("fetch", "-n", "custom.m", h)
	e.Check(r, cmdtest.Want{Stdout: "{\n    \"" + h + "\": {\n        \"custom.m\": null\n    }\n}\n"})
}
