package host_test

import (
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
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
		want    cmdtest.Want
		web, db string // summaries afterwards
	}{
		{"name displayName memo", false, false, []string{"update", "-n", "web2", "--displayName", "Web 2", "--memo", "new memo", "{web}"},
			cmdtest.Want{Stderr: cmdtest.LogLine(false, "updated", "{web}")},
			"web2|Web 2|working|new memo|alpha:db,alpha:web,mid:xx,zeta:app|mackerel-agent/0.80.0|eth0=10.0.0.1", dbBefore},
		{"status on a terminal", true, false, []string{"update", "--status", "poweroff", "{web}"},
			cmdtest.Want{Stderr: cmdtest.LogLine(true, "updated", "{web}")},
			"web|Web <1> & co|poweroff|front|alpha:db,alpha:web,mid:xx,zeta:app|mackerel-agent/0.80.0|eth0=10.0.0.1", dbBefore},
		{"status of several hosts", false, false, []string{"update", "--st", "maintenance", "{web}", "{db}"},
			cmdtest.Want{Stderr: cmdtest.LogLine(false, "updated", "{web}") + cmdtest.LogLine(false, "updated", "{db}")},
			"web|Web <1> & co|maintenance|front|alpha:db,alpha:web,mid:xx,zeta:app|mackerel-agent/0.80.0|eth0=10.0.0.1",
			"db|-|maintenance||alpha:db|-|"},
		{"-R adds roles", false, false, []string{"update", "-R", "beta:new", "-R", "alpha:web", "{db}"},
			cmdtest.Want{Stderr: cmdtest.LogLine(false, "updated", "{db}")},
			webBefore, "db|-|standby||alpha:db,alpha:web,beta:new|-|"},
		{"-o -R replaces roles", true, false, []string{"update", "-o", "-R", "gamma:only", "{web}"},
			cmdtest.Want{Stderr: cmdtest.LogLine(true, "updated", "{web}")},
			"web|Web <1> & co|working|front|gamma:only|mackerel-agent/0.80.0|eth0=10.0.0.1", dbBefore},
		{"-o alone removes every role", false, false, []string{"update", "--overwriteRoles", "{web}"},
			cmdtest.Want{Stderr: cmdtest.LogLine(false, "updated", "{web}")},
			"web|Web <1> & co|working|front||mackerel-agent/0.80.0|eth0=10.0.0.1", dbBefore},
		{"local host id", false, true, []string{"update", "--memo", "local"},
			cmdtest.Want{Stderr: cmdtest.LogLine(false, "updated", "{web}")},
			"web|Web <1> & co|working|local|alpha:db,alpha:web,mid:xx,zeta:app|mackerel-agent/0.80.0|eth0=10.0.0.1", dbBefore},
		// Every id is looked up before the first write: a typo changes nothing and is named.
		{"an unknown host updates none", false, false, []string{"update", "--st", "maintenance", "{db}", "nope", "{web}"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", "host not found: nope (nothing was updated)")},
			webBefore, dbBefore},
		{"unknown hosts on a terminal", true, false, []string{"update", "--memo", "x", "nope1", "{db}", "nope2"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(true, "error", "hosts not found: nope1, nope2 (nothing was updated)")},
			webBefore, dbBefore},
		{"a retired host updates none", false, false, []string{"update", "--memo", "x", "{db}", "{gone}"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", "host already retired: {gone} (nothing was updated)")},
			webBefore, dbBefore},

		{"no option", false, false, []string{"update", "{web}"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(false, usage, "update")}, webBefore, dbBefore},
		{"no option on a terminal", true, true, []string{"update"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(true, usage, "update")}, webBefore, dbBefore},
		{"bad status", false, false, []string{"update", "--st", "up", "{web}"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(false, `invalid status "up": must be one of working, standby, maintenance, poweroff`, "update")},
			webBefore, dbBefore},
		{"no id and no id file", false, false, []string{"update", "--memo", "x"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(false, "no host id given, and no mackerel-agent host id file was found (<root>/id)", "update")},
			webBefore, dbBefore},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			seedWeb(e)
			e.CreateHost("db", "--st", "standby", "-R", "alpha:db")
			e.CreateHost("gone")
			e.MustRun("retire", "--force", "{gone}")
			if tt.idFile {
				e.WriteHostID(e.Names["web"] + "\n")
			}
			e.Check(e.RunWith(cmdtest.RunOpts{TTY: tt.tty}, tt.args...), tt.want)
			e.Check(e.Run(append([]string{"status", "-v", "{web}"}, hostSummary...)...), cmdtest.Want{Stdout: tt.web + "\n"})
			e.Check(e.Run(append([]string{"status", "-v", "{db}"}, hostSummary...)...), cmdtest.Want{Stdout: tt.db + "\n"})
		})
	}
}
