package commands

import (
	"testing"
)

// hostSummary prints what update may change, plus meta and interfaces,
// which it must keep.
var hostSummary = []string{"--jq", `[.name, .displayName, .status, .memo, ([.roles | to_entries[] | .key + ":" + .value[]] | join(",")), .meta["agent-name"], (.interfaces | map(.name + "=" + .ipAddress) | join(","))] | map(. // "-") | join("|")`}

func TestUpdate(t *testing.T) {
	const webBefore = "web|Web <1> & co|working|front|alpha:db,alpha:web,mid:xx,zeta:app|mackerel-agent/0.80.0|eth0=10.0.0.1"
	const dbBefore = "db|-|standby||alpha:db|-|"
	usage := "update needs at least one of --name, --displayName, --status, --roleFullname, --overwriteRoles, --memo"
	tests := []struct {
		name    string
		tty     bool
		idFile  bool // write {web} to <root>/id
		args    []string
		want    want
		web, db string // summaries afterwards
	}{
		{"name displayName memo", false, false, []string{"update", "-n", "web2", "--displayName", "Web 2", "--memo", "new memo", "{web}"},
			want{stderr: logLine(false, "updated", "{web}")},
			"web2|Web 2|working|new memo|alpha:db,alpha:web,mid:xx,zeta:app|mackerel-agent/0.80.0|eth0=10.0.0.1", dbBefore},
		{"status on a terminal", true, false, []string{"update", "--status", "poweroff", "{web}"},
			want{stderr: logLine(true, "updated", "{web}")},
			"web|Web <1> & co|poweroff|front|alpha:db,alpha:web,mid:xx,zeta:app|mackerel-agent/0.80.0|eth0=10.0.0.1", dbBefore},
		{"status of several hosts", false, false, []string{"update", "--st", "maintenance", "{web}", "{db}"},
			want{stderr: logLine(false, "updated", "{web}") + logLine(false, "updated", "{db}")},
			"web|Web <1> & co|maintenance|front|alpha:db,alpha:web,mid:xx,zeta:app|mackerel-agent/0.80.0|eth0=10.0.0.1",
			"db|-|maintenance||alpha:db|-|"},
		{"-R adds roles", false, false, []string{"update", "-R", "beta:new", "-R", "alpha:web", "{db}"},
			want{stderr: logLine(false, "updated", "{db}")},
			webBefore, "db|-|standby||alpha:db,alpha:web,beta:new|-|"},
		{"-o -R replaces roles", true, false, []string{"update", "-o", "-R", "gamma:only", "{web}"},
			want{stderr: logLine(true, "updated", "{web}")},
			"web|Web <1> & co|working|front|gamma:only|mackerel-agent/0.80.0|eth0=10.0.0.1", dbBefore},
		{"-o alone removes every role", false, false, []string{"update", "--overwriteRoles", "{web}"},
			want{stderr: logLine(false, "updated", "{web}")},
			"web|Web <1> & co|working|front||mackerel-agent/0.80.0|eth0=10.0.0.1", dbBefore},
		{"local host id", false, true, []string{"update", "--memo", "local"},
			want{stderr: logLine(false, "updated", "{web}")},
			"web|Web <1> & co|working|local|alpha:db,alpha:web,mid:xx,zeta:app|mackerel-agent/0.80.0|eth0=10.0.0.1", dbBefore},
		{"stops at the first unknown host", false, false, []string{"update", "--memo", "x", "{db}", "nope", "{web}"},
			want{code: 1, stderr: logLine(false, "updated", "{db}") + logLine(false, "error", "API request failed: Host Not Found.")},
			webBefore, "db|-|standby|x|alpha:db|-|"},

		{"no option", false, false, []string{"update", "{web}"},
			want{code: 1, stderr: "{help}" + logLine(false, "error", usage)}, webBefore, dbBefore},
		{"no option on a terminal", true, true, []string{"update"},
			want{code: 1, stderr: "{help}" + logLine(true, "error", usage)}, webBefore, dbBefore},
		{"bad status", false, false, []string{"update", "--st", "up", "{web}"},
			want{code: 1, stderr: "{help}" + logLine(false, "error", `invalid status "up": must be one of working, standby, maintenance, poweroff`)},
			webBefore, dbBefore},
		{"no id and no id file", false, false, []string{"update", "--memo", "x"},
			want{code: 1, stderr: "{help}" + logLine(false, "error", "no host id given, and no mackerel-agent host id file was found (<root>/id)")},
			webBefore, dbBefore},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			seedWeb(e)
			e.createHost("db", "--st", "standby", "-R", "alpha:db")
			e.names["help"] = e.helpOf("update")
			if tt.idFile {
				e.writeHostID(e.names["web"] + "\n")
			}
			e.check(e.runWith(runOpts{tty: tt.tty}, tt.args...), tt.want)
			e.check(e.run(append([]string{"status", "-v", "{web}"}, hostSummary...)...), want{stdout: tt.web + "\n"})
			e.check(e.run(append([]string{"status", "-v", "{db}"}, hostSummary...)...), want{stdout: tt.db + "\n"})
		})
	}
}
