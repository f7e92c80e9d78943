package host_test

import (
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// everyStatus lists hosts in every status, so "nothing was created" can be
// checked.
var everyStatus = []string{"hosts", "--st", "working", "--st", "standby", "--st", "maintenance", "--st", "poweroff", "--jq", ".[].name"}

func TestCreate(t *testing.T) {
	badStatus := `invalid status "sleeping": must be one of working, standby, maintenance, poweroff`
	tests := []struct {
		name    string
		tty     bool
		args    []string
		want    cmdtest.Want
		verbose string // `status -v --jq <verboseQ>` of the new host
	}{
		{"plain", false, []string{"create", "web"}, cmdtest.Want{
			Stdout: "{new}\n", Stderr: cmdtest.LogLine(false, "created", "{new}"),
		}, "web working"},
		{"plain on a terminal", true, []string{"create", "web"}, cmdtest.Want{
			Stdout: "{new}\n", Stderr: cmdtest.LogLine(true, "created", "{new}"),
		}, "web working"},
		{"--status", false, []string{"create", "--status", "standby", "web"}, cmdtest.Want{
			Stdout: "{new}\n", Stderr: cmdtest.LogLine(false, "created", "{new}") + cmdtest.LogLine(false, "updated", "{new} standby"),
		}, "web standby"},
		{"--st on a terminal", true, []string{"create", "--st", "poweroff", "web"}, cmdtest.Want{
			Stdout: "{new}\n", Stderr: cmdtest.LogLine(true, "created", "{new}") + cmdtest.LogLine(true, "updated", "{new} poweroff"),
		}, "web poweroff"},
		{"every option", false, []string{"create", "-R", "svc:db", "-R", "svc:app", "--customIdentifier", "ci/1", "--memo", "m & m", "--st", "maintenance", "web"}, cmdtest.Want{
			Stdout: "{new}\n", Stderr: cmdtest.LogLine(false, "created", "{new}") + cmdtest.LogLine(false, "updated", "{new} maintenance"),
		}, "web maintenance svc:app,svc:db ci/1 m & m"},

		{"bad status", false, []string{"create", "--st", "sleeping", "web"}, cmdtest.Want{
			Code: 1, Stderr: cmdtest.UsageError(false, badStatus, "create"),
		}, ""},
		{"bad status on a terminal", true, []string{"create", "web", "--status", "sleeping"}, cmdtest.Want{
			Code: 1, Stderr: cmdtest.UsageError(true, badStatus, "create"),
		}, ""},
		{"bad roleFullname", false, []string{"create", "-R", "svc", "web"}, cmdtest.Want{
			Code: 1, Stderr: cmdtest.UsageError(false, `invalid roleFullname "svc": expected <service>:<role>`, "create"),
		}, ""},
		{"no name", false, []string{"create"}, cmdtest.Want{
			Code: 1, Stderr: cmdtest.UsageError(false, "create needs exactly one <hostName>", "create"),
		}, ""},
		{"two names", true, []string{"create", "a", "b"}, cmdtest.Want{
			Code: 1, Stderr: cmdtest.UsageError(true, "create needs exactly one <hostName>", "create"),
		}, ""},
		{"invalid role name from the API", false, []string{"create", "-R", "s:r", "web"}, cmdtest.Want{
			Code:   1,
			Stderr: cmdtest.LogLine(false, "error", `API request failed: Invalid roleFullname "s:r": expected <service>:<role>, each 2 to 63 of A-Z a-z 0-9 _ -, not starting with _ or -.`),
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			r := e.RunWith(cmdtest.RunOpts{TTY: tt.tty}, tt.args...)
			e.Names["new"] = strings.TrimSuffix(r.Stdout, "\n")
			e.Check(r, tt.want)
			if tt.verbose == "" {
				// Refused before anything was written.
				e.Check(e.Run(everyStatus...), cmdtest.Want{})
				return
			}
			e.Check(e.Run("status", "-v", "{new}", "--jq",
				`[.name, .status, ([.roles | to_entries[] | .key + ":" + .value[]] | join(",")), .customIdentifier, .memo] | map(select(. != null and . != "")) | join(" ")`),
				cmdtest.Want{Stdout: tt.verbose + "\n"})
		})
	}
}

// Every create prints a new id, even for the same name.
func TestCreateDistinctIDs(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	a, b := e.CreateHost("same"), e.CreateHost("same")
	if a == b || len(a) != 11 {
		t.Errorf("ids %q and %q: want two distinct 11-character ids", a, b)
	}
	e.Check(e.Run(everyStatus...), cmdtest.Want{Stdout: "same\nsame\n"})

	// A duplicate custom identifier is refused by the API; nothing is added.
	e.CreateHost("x", "--customIdentifier", "dup")
	e.Check(e.Run("create", "--customIdentifier", "dup", "y"), cmdtest.Want{
		Code: 1, Stderr: cmdtest.LogLine(false, "error", "API request failed: customIdentifier \"dup\" is already used by another host"),
	})
	e.Check(e.Run(everyStatus...), cmdtest.Want{Stdout: "same\nsame\nx\n"})
}
