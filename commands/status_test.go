package commands

import (
	"testing"

	"github.com/mkr-dev/mkr/client"
)

// seedWeb registers the host most view tests use: roles in several
// services (so an unsorted map walk would show), characters JSON escapes,
// an interface and agent meta. Its id is {web}.
func seedWeb(e *testEnv) string {
	e.t.Helper()
	return e.seedHost(client.CreateHostParam{
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
// metric names.
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
    "metrics": []
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
	e := newTestEnv(t)
	seedWeb(e)
	notFound := "API request failed: Host Not Found."
	tests := []struct {
		name string
		tty  bool
		args []string
		want want
	}{
		{"default view", false, []string{"status", "{web}"}, want{stdout: webView}},
		{"table on a terminal", true, []string{"status", "{web}"}, want{stdout: webDetailTable}},
		{"--output json on a terminal", true, []string{"status", "--output", "json", "{web}"}, want{stdout: webView}},
		{"--output table off a terminal", false, []string{"status", "--output", "table", "{web}"}, want{stdout: webDetailTable}},
		{"verbose", false, []string{"status", "-v", "{web}"}, want{stdout: webVerbose}},
		{"verbose on a terminal is still the full object", true, []string{"status", "--verbose", "{web}"}, want{stdout: webVerbose}},
		{"jq string is raw", false, []string{"status", "--jq", ".displayName", "{web}"}, want{stdout: "Web <1> & co\n"}},
		{"jq array is compact with HTML escapes", true, []string{"status", "{web}", "--jq", "[.displayName, .createdAt]"}, want{
			stdout: `["Web \u003c1\u003e \u0026 co","2024-05-06T16:08:09+09:00"]` + "\n",
		}},
		{"jq verbose", false, []string{"status", "-v", "--jq", ".createdAt, .meta.kernel, .metrics, .nothing", "{web}"}, want{
			stdout: "1714979289\n{\"name\":\"Linux\"}\n[]\n\n",
		}},
		{"jq error", false, []string{"status", "--jq", ".id | error", "{web}"}, want{
			code: 1, stderr: logLine(false, "error", "jq: error: {web}"),
		}},
		{"bad jq query", true, []string{"status", "--jq", ".[", "{web}"}, want{
			code: 1, stderr: logLine(true, "error", "invalid --jq query: unexpected EOF"),
		}},
		{"unknown host", false, []string{"status", "nosuchhost"}, want{code: 1, stderr: logLine(false, "error", notFound)}},
		{"unknown host on a terminal", true, []string{"status", "nosuchhost"}, want{code: 1, stderr: logLine(true, "error", notFound)}},
		{"two ids", false, []string{"status", "{web}", "other"}, want{
			code: 1, stderr: e.helpOf("status") + logLine(false, "error", "status takes at most one host id"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.checkT(t, e.runWith(runOpts{tty: tt.tty}, tt.args...), tt.want)
		})
	}
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
		want   want
	}{
		{"LF", "{web}\n", false, []string{"status"}, want{stdout: webView}},
		{"CRLF", "{web}\r\n", false, []string{"status", "--jq", ".id"}, want{stdout: "{web}\n"}},
		{"no newline on a terminal", "{web}", true, []string{"status"}, want{stdout: webDetailTable}},
		{"verbose", "{web}\r\n", false, []string{"status", "-v", "--jq", ".name"}, want{stdout: "web\n"}},
		{"no file", "", false, []string{"status"}, want{code: 1, stderr: "{help}" + logLine(false, "error", noID)}},
		{"empty file", "\r\n", true, []string{"status"}, want{code: 1, stderr: "{help}" + logLine(true, "error", noID)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			seedWeb(e)
			e.names["help"] = e.helpOf("status")
			if tt.idFile != "" {
				e.writeHostID(e.expand(tt.idFile))
			}
			e.check(e.runWith(runOpts{tty: tt.tty}, tt.args...), tt.want)
		})
	}
}

func TestStatusBrokenConf(t *testing.T) {
	e := newTestEnv(t)
	e.writeConf("root = \"unterminated\n")
	e.check(e.run("status"), want{
		code: 1,
		stderr: logLine(false, "error", `failed to load the config "`+e.conf+
			`": toml: line 1 (last key "root"): strings cannot contain newlines`),
	})
}
