package host_test

import (
	"testing"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// seedFleet registers hosts in every status; the retired one is never
// listed. Ids: {web} {db} {batch} {off} {calc} {gone}.
func seedFleet(e *cmdtest.Env) {
	e.T.Helper()
	seedWeb(e)
	e.CreateHost("db", "--st", "standby", "-R", "alpha:db")
	e.CreateHost("batch", "--st", "maintenance", "-R", "beta:job", "--customIdentifier", "ci-batch")
	e.CreateHost("off", "--st", "poweroff")
	// Agent meta carries numbers that upstream's jq printing rounded.
	e.SeedHost(client.CreateHostParam{
		Name: "calc",
		Meta: client.HostMeta{CPU: client.CPU{{"mhz": 2893.437, "ratio": 0.025, "cores": 1234567890123}}},
	})
	e.MustRun("update", "--st", "poweroff", "{calc}")
	e.CreateHost("gone")
	e.MustRun("retire", "--force", "{gone}")
}

// hostsView is `mkr hosts` over seedFleet: working and standby hosts.
const hostsView = `[
    {
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
    },
    {
        "id": "{db}",
        "name": "db",
        "status": "standby",
        "roleFullnames": [
            "alpha:db"
        ],
        "isRetired": false,
        "createdAt": "2024-05-06T16:08:09+09:00"
    }
]
`

const hostsTableView = `ID            NAME                 STATUS    ROLES                                IP ADDRESSES   CREATED AT
{web}   web (Web <1> & co)   working   alpha:db,alpha:web,mid:xx,zeta:app   10.0.0.1       2024-05-06 16:08:09
{db}   db                   standby   alpha:db                                            2024-05-06 16:08:09
`

// batchVerbose is `hosts -v` for {batch}: the raw API objects.
const batchVerbose = `[
    {
        "id": "{batch}",
        "name": "batch",
        "customIdentifier": "ci-batch",
        "size": "standard",
        "status": "maintenance",
        "memo": "",
        "roles": {
            "beta": [
                "job"
            ]
        },
        "isRetired": false,
        "createdAt": 1714979289,
        "meta": {},
        "interfaces": []
    }
]
`

func TestHosts(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	seedFleet(e)
	names := func(args ...string) []string { return append(append([]string{"hosts"}, args...), "--jq", ".[].name") }
	incompatible := "--format and --jq options are incompatible."
	tests := []struct {
		name string
		tty  bool
		args []string
		want cmdtest.Want
	}{
		{"default view", false, []string{"hosts"}, cmdtest.Want{Stdout: hostsView}},
		{"table on a terminal", true, []string{"hosts"}, cmdtest.Want{Stdout: hostsTableView}},
		{"--output json on a terminal", true, []string{"hosts", "--output", "json"}, cmdtest.Want{Stdout: hostsView}},
		{"--output table off a terminal", false, []string{"hosts", "--output", "table"}, cmdtest.Want{Stdout: hostsTableView}},
		{"no hosts", false, []string{"hosts", "-n", "nope"}, cmdtest.Want{Stdout: "[]\n"}},
		{"no hosts on a terminal", true, []string{"hosts", "-n", "nope"}, cmdtest.Want{
			Stdout: "ID   NAME   STATUS   ROLES   IP ADDRESSES   CREATED AT\n",
		}},
		{"no hosts as json on a terminal", true, []string{"hosts", "-n", "nope", "--output", "json"}, cmdtest.Want{Stdout: "[]\n"}},

		{"-n", false, names("-n", "db"), cmdtest.Want{Stdout: "db\n"}},
		{"--name", false, names("--name", "batch", "--st", "maintenance"), cmdtest.Want{Stdout: "batch\n"}},
		{"-s", false, names("-s", "alpha"), cmdtest.Want{Stdout: "web\ndb\n"}},
		{"--service with -r", false, names("--service", "alpha", "-r", "web"), cmdtest.Want{Stdout: "web\n"}},
		{"-r twice", false, names("-s", "alpha", "-r", "web", "-r", "db"), cmdtest.Want{Stdout: "web\ndb\n"}},
		// The API ignores role without service: refused rather than listing every host.
		{"-r needs -s", false, names("-r", "web"), cmdtest.Want{
			Code: 1, Stderr: cmdtest.UsageError(false, "--role needs --service (a role is named within a service)", "hosts"),
		}},
		{"-r needs -s on a terminal", true, names("-r", "web"), cmdtest.Want{
			Code: 1, Stderr: cmdtest.UsageError(true, "--role needs --service (a role is named within a service)", "hosts"),
		}},
		{"--st", false, names("--st", "maintenance"), cmdtest.Want{Stdout: "batch\n"}},
		{"--status twice", false, names("--status", "poweroff", "--status", "maintenance"), cmdtest.Want{Stdout: "batch\noff\ncalc\n"}},
		{"every status", false, names("--st", "working", "--st", "standby", "--st", "maintenance", "--st", "poweroff"), cmdtest.Want{
			Stdout: "web\ndb\nbatch\noff\ncalc\n",
		}},
		{"--custom-identifier", false, names("--custom-identifier", "ci-web"), cmdtest.Want{Stdout: "web\n"}},
		{"--custom-identifier keeps the status default", false, names("--custom-identifier", "ci-batch"), cmdtest.Want{}},
		{"filters combine", false, names("-s", "beta", "--st", "maintenance", "-n", "batch", "--custom-identifier", "ci-batch"), cmdtest.Want{Stdout: "batch\n"}},
		{"bad status", false, []string{"hosts", "--st", "sleeping"}, cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(false, "error", `API request failed: Invalid status "sleeping": must be one of working, standby, maintenance, poweroff.`),
		}},

		{"verbose", false, []string{"hosts", "-v", "--st", "maintenance"}, cmdtest.Want{Stdout: batchVerbose}},
		{"verbose on a terminal", true, []string{"hosts", "--verbose", "--st", "maintenance"}, cmdtest.Want{Stdout: batchVerbose}},

		{"format on raw hosts", false, []string{"hosts", "--format", `{{range .}}{{.ID}} {{.Name}} {{.CreatedAt}} {{.Roles}} {{.IsRetired}}{{"\n"}}{{end}}`}, cmdtest.Want{
			Stdout: "{web} web 1714979289 map[alpha:[db web] mid:[xx] zeta:[app]] false\n{db} db 1714979289 map[alpha:[db]] false\n",
		}},
		{"format adds no newline", true, []string{"hosts", "-f", `{{len .}} hosts`}, cmdtest.Want{Stdout: "2 hosts"}},
		{"bad format", false, []string{"hosts", "-f", `{{.Nope`}, cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(false, "error", `invalid --format template: template: format:1: unclosed action`),
		}},

		{"jq", false, []string{"hosts", "--jq", ".[] | .id + \" \" + .createdAt"}, cmdtest.Want{
			Stdout: "{web} 2024-05-06T16:08:09+09:00\n{db} 2024-05-06T16:08:09+09:00\n",
		}},
		{"jq on a terminal", true, []string{"hosts", "--jq", ".[1].roleFullnames"}, cmdtest.Want{Stdout: "[\"alpha:db\"]\n"}},
		{"jq keeps number precision", false, []string{"hosts", "-v", "--st", "poweroff", "-n", "calc", "--jq", ".[0].meta.cpu[0] | .mhz, .ratio, .cores, .cores + 1, .ratio * 2"}, cmdtest.Want{
			Stdout: "2893.437\n0.025\n1234567890123\n1234567890124\n0.05\n",
		}},
		{"jq on verbose epoch", false, []string{"hosts", "-v", "--jq", "[.[].createdAt] | add"}, cmdtest.Want{Stdout: "3429958578\n"}},
		{"jq empty list", false, []string{"hosts", "-n", "nope", "--jq", "."}, cmdtest.Want{Stdout: "[]\n"}},

		{"format with jq", false, []string{"hosts", "--format", "{{.}}", "--jq", "."}, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", incompatible)}},
		{"format with jq on a terminal", true, []string{"hosts", "--jq", ".", "-f", "x"}, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(true, "error", incompatible)}},
		{"bad --output", false, []string{"hosts", "--output", "yaml"}, cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(false, "error", `--output must be json or table, not "yaml"`),
		}},
		{"table with jq", true, []string{"hosts", "--output", "table", "--jq", "."}, cmdtest.Want{
			Code: 1, Stderr: cmdtest.LogLine(true, "error", "--output table cannot be combined with --jq or --format"),
		}},
		{"positional argument", false, []string{"hosts", "web"}, cmdtest.Want{
			Code: 1, Stderr: cmdtest.UsageError(false, `hosts takes no arguments, got "web"`, "hosts"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.CheckT(t, e.RunWith(cmdtest.RunOpts{TTY: tt.tty}, tt.args...), tt.want)
		})
	}
}
