package graphdef_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestGraphDefsList(t *testing.T) {
	e := cmdtest.New(t)
	// The hosted API has no such route: it answers 404.
	hosted := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":{"message":"Not found."}}`))
	}))
	t.Cleanup(hosted.Close)
	e.Names["hosted"] = hosted.URL
	e.RunSteps(t, []cmdtest.Step{
		{Name: "none", Args: []string{"graph-defs", "list"}, Want: cmdtest.Want{Stdout: "[]\n"}},
		{Name: "create", Opts: cmdtest.RunOpts{Stdin: `[{"name":"custom.cpu","displayName":"CPU","unit":"percentage","metrics":[{"name":"custom.cpu.user","isStacked":true}]},{"name":"custom.a.*","metrics":[]}]`},
			Args: []string{"graph-defs", "create", "-F", "-"}, Want: cmdtest.Want{
				Stderr: cmdtest.LogLine(false, "created", "graph definition custom.cpu") + cmdtest.LogLine(false, "created", "graph definition custom.a.*")}},
		{Name: "list: what create takes back", Args: []string{"graph-defs", "list", "--jq", ".[]"}, Want: cmdtest.Want{Stdout: "" +
			`{"metrics":[],"name":"custom.a.*"}` + "\n" +
			`{"displayName":"CPU","metrics":[{"isStacked":true,"name":"custom.cpu.user"}],"name":"custom.cpu","unit":"percentage"}` + "\n"}},
		{Name: "table on a terminal", Opts: cmdtest.RunOpts{TTY: true}, Args: []string{"graph-defs", "list"}, Want: cmdtest.Want{Stdout: "" +
			"NAME         DISPLAY NAME   UNIT         METRICS\n" +
			"custom.a.*\n" +
			"custom.cpu   CPU            percentage   custom.cpu.user\n"}},
		{Name: "a server without the list", Opts: cmdtest.RunOpts{Env: map[string]string{"MACKEREL_APIKEY": "k"}}, Args: []string{"graph-defs", "list", "--apibase", "{hosted}"}, Want: cmdtest.Want{Code: 1,
			Stderr: cmdtest.LogLine(false, "error", "this server cannot list graph definitions (GET /api/v0/graph-defs is mkr's backend's, not the hosted API's): API request failed: Not found.")}},
	})
}
