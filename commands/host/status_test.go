package host_test

import (
	"fmt"
	"testing"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// seedWeb registers the host most view tests use: roles in several
// services (so an unsorted map walk would show), characters JSON escapes,
// an interface and agent meta. Its id is {web}.
func seedWeb(e *cmdtest.Env) string {
	e.T.Helper()
	return e.SeedHost(client.CreateHostParam{
		Name:             "web",
		DisplayName:      "Web <1> & co",
		Memo:             "front",
		CustomIdentifier: "ci-web",
		RoleFullnames:    []string{"zeta:app", "alpha:web", "mid:xx", "alpha:db"},
		Interfaces: []client.Interface{{
			Name: "eth0", IPAddress: "10.0.0.1", IPv4Addresses: []string{"10.0.0.1"}, MacAddress: "aa:bb:cc:dd:ee:ff",
		}},
		Meta: client.HostMeta{AgentName: "mackerel-agent/0.80.0", Kernel: client.Kernel{"name": "Linux"}},
	})
}

// webView is {web} in the default host view: 4-space indent, < and >
// kept, & escaped, sorted roleFullnames, ISO 8601 time in +09:00.
const webView = `{
    "id": "{web}",
    "name": "web",
    "displayName": "Web <1> \u0026 co",
    "status": "working",
    "roleFullnames": [
        "alpha:db",
        "alpha:web",
        "mid:xx",
        "zeta:app"
    ],
    "isRetired": false,
    "createdAt": "2024-05-06T16:08:09+09:00",
    "ipAddresses": {
        "eth0": "10.0.0.1"
    }
}
`

// webVerbose is {web} as `status -v` prints it: the full host plus its
// metric names (as upstream: "metrics" is left out when it has none) and
// its monitored statuses (mkr's addition).
const webVerbose = `{
    "id": "{web}",
    "name": "web",
    "displayName": "Web <1> \u0026 co",
    "customIdentifier": "ci-web",
    "size": "standard",
    "status": "working",
    "memo": "front",
    "roles": {
        "alpha": [
            "db",
            "web"
        ],
        "mid": [
            "xx"
        ],
        "zeta": [
            "app"
        ]
    },
    "isRetired": false,
    "createdAt": 1714979289,
    "meta": {
        "agent-name": "mackerel-agent/0.80.0",
        "kernel": {
            "name": "Linux"
        }
    },
    "interfaces": [
        {
            "name": "eth0",
            "ipAddress": "10.0.0.1",
            "ipv4Addresses": [
                "10.0.0.1"
            ],
            "macAddress": "aa:bb:cc:dd:ee:ff"
        }
    ],
    "monitoredStatuses": []
}
`

const webDetailTable = `FIELD               VALUE
id                  {web}
name                web
display name        Web <1> & co
custom identifier   ci-web
status              working
roles               alpha:db, alpha:web, mid:xx, zeta:app
memo                front
interface eth0      10.0.0.1
created at          2024-05-06 16:08:09 +09:00
`

func TestStatus(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	seedWeb(e)
	notFound := "API request failed: Host Not Found."
	tests := []struct {
		name string
		tty  bool
		args []string
		want cmdtest.Want
	}{
		{"default view", false, []string{"status", "{web}"}, cmdtest.Want{Stdout: webView}},
		{"table on a terminal", true, []string{"status", "{web}"}, cmdtest.Want{Stdout: webDetailTable}},
		{"--output json on a terminal", true, []string{"status", "--output", "json", "{web}"}, cmdtest.Want{Stdout: webView}},
		{"--output table off a terminal", false, []string{"status", "--output", "table", "{web}"}, cmdtest.Want{Stdout: webDetailTable}},
		{"verbose", false, []string{"status", "-v", "{web}"}, cmdtest.Want{Stdout: webVerbose}},
		{"verbose on a terminal is still the full object", true, []string{"status", "--verbose", "{web}"}, cmdtest.Want{Stdout: webVerbose}},
		{"jq string is raw", false, []string{"status", "--jq", ".displayName", "{web}"}, cmdtest.Want{Stdout: "Web <1> & co\n"}},
		{"jq array is compact with HTML escapes", true, []string{"status", "{web}", "--jq", "[.displayName, .createdAt]"}, cmdtest.Want{
			Stdout: `["Web \u003c1\u003e \u0026 co","2024-05-06T16:08:09+09:00"]` + "\n",
		}},
		{"jq verbose", false, []string{"status", "-v", "--jq", ".createdAt, .meta.kernel, .metrics, .nothing", "{web}"}, cmdtest.Want{
			Stdout: "1714979289\n{\"name\":\"Linux\"}\n\n\n",
		}},
		{"jq error", false, []string{"status", "--jq", ".id | error", "{web}"}, cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(false, "error", "jq: error: {web}"),
		}},
		{"bad jq query", true, []string{"status", "--jq", ".[", "{web}"}, cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(true, "error", "invalid --jq query: unexpected EOF"),
		}},
		{"unknown host", false, []string{"status", "nosuchhost"}, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", notFound)}},
		{"unknown host on a terminal", true, []string{"status", "nosuchhost"}, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(true, "error", notFound)}},
		{"two ids", false, []string{"status", "{web}", "other"}, cmdtest.Want{
			Code: 1, Stderr: cmdtest.UsageError(false, "status takes at most one host id", "status"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.CheckT(t, e.RunWith(cmdtest.RunOpts{TTY: tt.tty}, tt.args...), tt.want)
		})
	}
}

// TestStatusVerboseMonitoredStatuses: -v lists the state of each monitor
// watching the host, under a key upstream's output does not use.
func TestStatusVerboseMonitoredStatuses(t *testing.T) {
	e := cmdtest.New(t)
	seedWeb(e)
	e.Report(e.CheckReport(e.Names["web"], "disk", "CRITICAL", "disk full"), e.CheckReport(e.Names["web"], "ntp", "OK", "in sync"))
	r := e.Run("status", "-v", "--jq", `.monitoredStatuses | map(.status + " " + .detail.type + " " + .detail.message) | sort | .[]`, "{web}")
	e.Check(r, cmdtest.Want{Stdout: "CRITICAL check disk full\nOK check in sync\n"})
}

// Without an id argument, status reads <root>/id, root coming from the
// agent config given with --conf.
func TestStatusLocalHostID(t *testing.T) {
	noID := "no host id given, and no mackerel-agent host id file was found (<root>/id)"
	tests := []struct {
		name   string
		idFile string // "" means no file
		tty    bool
		args   []string
		want   cmdtest.Want
	}{
		{"LF", "{web}\n", false, []string{"status"}, cmdtest.Want{Stdout: webView}},
		{"CRLF", "{web}\r\n", false, []string{"status", "--jq", ".id"}, cmdtest.Want{Stdout: "{web}\n"}},
		{"no newline on a terminal", "{web}", true, []string{"status"}, cmdtest.Want{Stdout: webDetailTable}},
		{"verbose", "{web}\r\n", false, []string{"status", "-v", "--jq", ".name"}, cmdtest.Want{Stdout: "web\n"}},
		{"no file", "", false, []string{"status"}, cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(false, noID, "status")}},
		{"empty file", "\r\n", true, []string{"status"}, cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(true, noID, "status")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			seedWeb(e)
			if tt.idFile != "" {
				e.WriteHostID(e.Expand(tt.idFile))
			}
			e.Check(e.RunWith(cmdtest.RunOpts{TTY: tt.tty}, tt.args...), tt.want)
		})
	}
}

func TestStatusBrokenConf(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	e.WriteConf("root = \"unterminated\n")
	e.Check(e.Run("status"), cmdtest.Want{
		Code: 1,
		Stderr: cmdtest.LogLine(false, "error", `failed to load the config "`+e.Conf+
			`": toml: line 1 (last key "root"): strings cannot contain newlines`),
	})
}

// TestStatusVerboseMetrics: "metrics" lists the host's metric names, and
// is left out when it has none, as upstream prints it.
func TestStatusVerboseMetrics(t *testing.T) {
	e := cmdtest.New(t)
	seedWeb(e)
	for _, tty := range []bool{false, true} {
		r := e.RunWith(cmdtest.RunOpts{TTY: tty}, "status", "-v", "--jq", `has("metrics")`, "{web}")
		e.Check(r, cmdtest.Want{Stdout: "false\n"})
	}
	r := e.RunWith(cmdtest.RunOpts{Stdin: fmt.Sprintf("loadavg5 1.5 %d\n", cmdtest.Epoch.Unix()-60)}, "throw", "-H", "{web}")
	e.Check(r, cmdtest.Want{Stderr: cmdtest.LogLine(false, "thrown", "1 values to {web}")})
	for _, tty := range []bool{false, true} {
		r := e.RunWith(cmdtest.RunOpts{TTY: tty}, "status", "-v", "--jq", `.metrics`, "{web}")
		e.Check(r, cmdtest.Want{Stdout: "[\"custom.loadavg5\"]\n"})
	}
}
