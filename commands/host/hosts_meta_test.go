package host_test

import (
	"testing"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// Meta is fetched only by the forms that print it: -v and --format (whose
// template sees the whole hosts). The default view, its table, --jq on it
// and --status-age ask the backend to leave meta out.
func TestHostsFetchMetaOnlyWhenPrinted(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	seedFleet(e)
	api := e.StartAPI()
	tests := []struct {
		name     string
		tty      bool
		args     []string
		want     cmdtest.Want
		withMeta bool
	}{
		{"default", false, []string{"hosts"}, cmdtest.Want{Stdout: hostsView}, false},
		{"table", true, []string{"hosts"}, cmdtest.Want{Stdout: hostsTableView}, false},
		{"jq", false, []string{"hosts", "--jq", ".[].name"}, cmdtest.Want{Stdout: "web\ndb\n"}, false},
		{"status age", false, []string{"hosts", "--status-age", "--jq", ".[].statusAge"}, cmdtest.Want{Stdout: "0s\n0s\n"}, false},
		{"verbose", false, []string{"hosts", "-v", "--jq", ".[0].meta.kernel.name"}, cmdtest.Want{Stdout: "Linux\n"}, true},
		{"format", false, []string{"hosts", "--st", "working", "--st", "poweroff", "-f",
			`{{range .}}{{.Name}} {{.Meta.AgentName}} {{with .Meta.CPU}}{{index (index . 0) "mhz"}}{{end}}{{"\n"}}{{end}}`},
			cmdtest.Want{Stdout: "web mackerel-agent/0.80.0 \noff  \ncalc  2893.437\n"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.CheckT(t, e.RunRemote(api.URL, "key", cmdtest.RunOpts{TTY: tt.tty}, tt.args...), tt.want)
			reqs := api.Requests()
			if len(reqs) != 1 {
				t.Fatalf("requests %v, want one GET /api/v0/hosts", reqs)
			}
			if omitted := reqs[0].Header.Get(client.HeaderOmitMeta) != ""; omitted == tt.withMeta {
				t.Errorf("%s: %s sent: %v, want %v", reqs[0], client.HeaderOmitMeta, omitted, !tt.withMeta)
			}
			// Local mode lists the same bytes.
			e.CheckT(t, e.RunWith(cmdtest.RunOpts{TTY: tt.tty}, tt.args...), tt.want)
		})
	}
}
