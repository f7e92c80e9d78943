package commands

import (
	"strings"
	"testing"
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
		want    want
		verbose string // `status -v --jq <verboseQ>` of the new host
	}{
		{"plain", false, []string{"create", "web"}, want{
			stdout: "{new}\n", stderr: logLine(false, "created", "{new}"),
		}, "web working"},
		{"plain on a terminal", true, []string{"create", "web"}, want{
			stdout: "{new}\n", stderr: logLine(true, "created", "{new}"),
		}, "web working"},
		{"--status", false, []string{"create", "--status", "standby", "web"}, want{
			stdout: "{new}\n", stderr: logLine(false, "created", "{new}") + logLine(false, "updated", "{new} standby"),
		}, "web standby"},
		{"--st on a terminal", true, []string{"create", "--st", "poweroff", "web"}, want{
			stdout: "{new}\n", stderr: logLine(true, "created", "{new}") + logLine(true, "updated", "{new} poweroff"),
		}, "web poweroff"},
		{"every option", false, []string{"create", "-R", "svc:db", "-R", "svc:app", "--customIdentifier", "ci/1", "--memo", "m & m", "--st", "maintenance", "web"}, want{
			stdout: "{new}\n", stderr: logLine(false, "created", "{new}") + logLine(false, "updated", "{new} maintenance"),
		}, "web maintenance svc:app,svc:db ci/1 m & m"},

		{"bad status", false, []string{"create", "--st", "sleeping", "web"}, want{
			code: 1, stderr: "{help}" + logLine(false, "error", badStatus),
		}, ""},
		{"bad status on a terminal", true, []string{"create", "web", "--status", "sleeping"}, want{
			code: 1, stderr: "{help}" + logLine(true, "error", badStatus),
		}, ""},
		{"bad roleFullname", false, []string{"create", "-R", "svc", "web"}, want{
			code: 1, stderr: "{help}" + logLine(false, "error", `invalid roleFullname "svc": expected <service>:<role>`),
		}, ""},
		{"no name", false, []string{"create"}, want{
			code: 1, stderr: "{help}" + logLine(false, "error", "create needs exactly one <hostName>"),
		}, ""},
		{"two names", true, []string{"create", "a", "b"}, want{
			code: 1, stderr: "{help}" + logLine(true, "error", "create needs exactly one <hostName>"),
		}, ""},
		{"invalid role name from the API", false, []string{"create", "-R", "s:r", "web"}, want{
			code:   1,
			stderr: logLine(false, "error", `API request failed: Invalid roleFullname "s:r": expected <service>:<role>, each 2 to 63 of A-Z a-z 0-9 _ -, not starting with _ or -.`),
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.names["help"] = e.helpOf("create")
			r := e.runWith(runOpts{tty: tt.tty}, tt.args...)
			e.names["new"] = strings.TrimSuffix(r.stdout, "\n")
			e.check(r, tt.want)
			if tt.verbose == "" {
				// Refused before anything was written.
				e.check(e.run(everyStatus...), want{})
				return
			}
			e.check(e.run("status", "-v", "{new}", "--jq",
				`[.name, .status, ([.roles | to_entries[] | .key + ":" + .value[]] | join(",")), .customIdentifier, .memo] | map(select(. != null and . != "")) | join(" ")`),
				want{stdout: tt.verbose + "\n"})
		})
	}
}

// Every create prints a new id, even for the same name.
func TestCreateDistinctIDs(t *testing.T) {
	e := newTestEnv(t)
	a, b := e.createHost("same"), e.createHost("same")
	if a == b || len(a) != 11 {
		t.Errorf("ids %q and %q: want two distinct 11-character ids", a, b)
	}
	e.check(e.run(everyStatus...), want{stdout: "same\nsame\n"})

	// A duplicate custom identifier is refused by the API; nothing is added.
	e.createHost("x", "--customIdentifier", "dup")
	e.check(e.run("create", "--customIdentifier", "dup", "y"), want{
		code: 1, stderr: logLine(false, "error", "API request failed: customIdentifier \"dup\" is already used by another host"),
	})
	e.check(e.run(everyStatus...), want{stdout: "same\nsame\nx\n"})
}
