package commands_test

import (
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestVersion(t *testing.T) {
	for _, flag := range []string{"--version", "-v"} {
		for _, tty := range []bool{false, true} {
			t.Run(flag+"/"+cmdtest.TTYName(tty), func(t *testing.T) {
				e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
				e.Check(e.RunWith(cmdtest.RunOpts{TTY: tty}, flag), cmdtest.Want{
					Stdout: "mkr version 1.2.3-test (rev:0123abcd)\n",
				})
			})
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			e.Check(e.RunWith(cmdtest.RunOpts{TTY: tty}, "hostz"), cmdtest.Want{
				Code:   3,
				Stderr: cmdtest.UnknownCommand(tty, "hostz", nil, "hosts"),
			})
		})
	}
}

// An unknown flag is reported in one line with a pointer to the help of the
// command it was given to.
func TestUnknownFlag(t *testing.T) {
	tests := []struct {
		name string
		args []string
		help []string // the command whose help is expected
		flag string
	}{
		{"root", []string{"--bogus", "hosts"}, nil, "-bogus"},
		{"command", []string{"hosts", "--bogus"}, []string{"hosts"}, "-bogus"},
		{"command after positional", []string{"create", "web", "-x"}, []string{"create"}, "-x"},
		{"subcommand", []string{"services", "create", "--bogus", "svc"}, []string{"services", "create"}, "-bogus"},
		{"parent of subcommands", []string{"roles", "--nope"}, []string{"roles"}, "-nope"},
		{"nested subcommand", []string{"serve", "keys", "create", "-x"}, []string{"serve", "keys", "create"}, "-x"},
	}
	for _, tt := range tests {
		for _, tty := range []bool{false, true} {
			t.Run(tt.name+"/"+cmdtest.TTYName(tty), func(t *testing.T) {
				e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
				e.Check(e.RunWith(cmdtest.RunOpts{TTY: tty}, tt.args...), cmdtest.Want{
					Code:   1,
					Stderr: cmdtest.UsageError(tty, "flag provided but not defined: "+tt.flag, tt.help...),
				})
				// Nothing was created by the refused `create`.
				e.Check(e.Run("hosts"), cmdtest.Want{Stdout: "[]\n"})
			})
		}
	}
}

// urfave/cli gives every command a "help, h" subcommand; on a leaf it must
// not swallow a positional argument spelled like it.
func TestPositionalNamedHelp(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	h := e.CreateHost("h")
	help := e.CreateHost("help")
	e.Check(e.Run("hosts", "--jq", ".[].name"), cmdtest.Want{Stdout: "h\nhelp\n"})
	e.Check(e.Run("status", "help", "--jq", ".id"), cmdtest.Want{
		Code:   1,
		Stderr: cmdtest.LogLine(false, "error", "API request failed: Host Not Found."),
	})
	e.Check(e.Run("update", "--memo", "x", h, help), cmdtest.Want{
		Stderr: cmdtest.LogLine(false, "updated", h) + cmdtest.LogLine(false, "updated", help),
	})
	// Parents keep their help subcommand.
	r := e.Run("services", "help")
	if r.Code != 0 || !strings.HasPrefix(r.Stdout, "NAME:\n   mkr services - List services\n") {
		t.Errorf("mkr services help:\n%s", r)
	}
}

// --quiet (-q), before or after the command name, hides every info-level
// line but keeps errors and warnings.
func TestQuiet(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	web := e.CreateHost("web")
	tests := []struct {
		name string
		args []string
		want cmdtest.Want
	}{
		{"create", []string{"create", "-q", "--st", "standby", "db"}, cmdtest.Want{Stdout: "{new}\n"}},
		{"global before command", []string{"--quiet", "update", "--memo", "m", web}, cmdtest.Want{}},
		{"org", []string{"org", "-q", "--jq", ".name"}, cmdtest.Want{Stdout: "local\n"}},
		{"metadata put", []string{"metadata", "put", "-q", "-H", web, "ns", "1"}, cmdtest.Want{}},
		{"metadata delete", []string{"metadata", "delete", "-q", "--force", "-H", web, "ns"}, cmdtest.Want{}},
		{"services create", []string{"services", "create", "-q", "svc", "--jq", ".name"}, cmdtest.Want{Stdout: "svc\n"}},
		{"roles create", []string{"roles", "create", "-q", "-s", "svc", "app", "--jq", ".name"}, cmdtest.Want{Stdout: "app\n"}},
		{"roles delete", []string{"roles", "delete", "-q", "-s", "svc", "--force", "app", "--jq", ".name"}, cmdtest.Want{Stdout: "app\n"}},
		{"services delete", []string{"services", "delete", "-q", "--force", "svc", "--jq", ".name"}, cmdtest.Want{Stdout: "svc\n"}},
		{"retire", []string{"retire", "-q", "--force", web}, cmdtest.Want{}},
		{"errors stay", []string{"status", "-q", "nope"}, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", "API request failed: Host Not Found.")}},
		{"usage errors stay", []string{"-q", "hosts", "--format", "x", "--jq", "."}, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", "--format and --jq options are incompatible.")}},
	}
	for _, tt := range tests {
		r := e.Run(tt.args...)
		if tt.name == "create" {
			e.Names["new"] = strings.TrimSpace(r.Stdout)
		}
		t.Run(tt.name, func(t *testing.T) { e.CheckT(t, r, tt.want) })
	}
}

// Global flags are accepted after the command name too, and the innermost
// one wins.
func TestGlobalFlagsAfterCommand(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	other := e.Dir + "/other.db"
	id := strings.TrimSpace(e.MustRun("create", "--db", other, "elsewhere"))
	e.Names["elsewhere"] = id
	e.Check(e.Run("hosts"), cmdtest.Want{Stdout: "[]\n"})
	e.Check(e.Run("hosts", "--db", other, "--jq", ".[].id"), cmdtest.Want{Stdout: "{elsewhere}\n"})
	e.Check(e.Run("--db", e.DBPath(), "hosts", "--db", other, "--jq", ".[].name"), cmdtest.Want{Stdout: "elsewhere\n"})
	e.Check(e.Run("--db", other, "hosts", "--jq", ".[].name"), cmdtest.Want{Stdout: "elsewhere\n"})

	// --conf after the command: its root holds the id file.
	e.WriteHostID(id + "\n")
	e.Check(e.RunWith(cmdtest.RunOpts{Conf: "-"}, "status", "--conf", e.Conf, "--db", other, "--jq", ".name"), cmdtest.Want{Stdout: "elsewhere\n"})
}

// Flags may follow positional arguments, as upstream's CLI allows; "--"
// ends the flags.
func TestFlagsAfterPositionalArgs(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	web := e.CreateHost("web", "--st", "standby")
	tests := []struct {
		name string
		args []string
		want cmdtest.Want
	}{
		{"create --st", []string{"create", "db", "--st", "maintenance", "-R", "svc:app"}, cmdtest.Want{
			Stdout: "{db}\n",
			Stderr: cmdtest.LogLine(false, "created", "{db}") + cmdtest.LogLine(false, "updated", "{db} maintenance"),
		}},
		{"update then flags", []string{"update", web, "--memo", "m", "-n", "web2"}, cmdtest.Want{Stderr: cmdtest.LogLine(false, "updated", web)}},
		{"metadata after namespace", []string{"metadata", "put", "ns", "-H", web, "[1]"}, cmdtest.Want{Stderr: cmdtest.LogLine(false, "updated", "metadata ns")}},
		{"value after --", []string{"metadata", "put", "-H", web, "neg", "--", "-1"}, cmdtest.Want{Stderr: cmdtest.LogLine(false, "updated", "metadata neg")}},
		{"namespace after --", []string{"metadata", "get", "-H", web, "--", "neg"}, cmdtest.Want{Stdout: "-1\n"}},
		{"retire --force last", []string{"retire", web, "--force"}, cmdtest.Want{Stderr: cmdtest.LogLine(false, "retired", web)}},
	}
	for _, tt := range tests {
		r := e.Run(tt.args...)
		if tt.name == "create --st" {
			e.Names["db"] = strings.TrimSpace(r.Stdout)
		}
		t.Run(tt.name, func(t *testing.T) { e.CheckT(t, r, tt.want) })
	}
	e.Check(e.Run("hosts", "--st", "maintenance", "--jq", `.[] | [.name, .status, .roleFullnames[0]] | join(" ")`), cmdtest.Want{
		Stdout: "db maintenance svc:app\n",
	})
	e.Check(e.Run("status", web, "--jq", `.isRetired`), cmdtest.Want{Stdout: "true\n"})
}

// Colour is only for terminals, and NO_COLOR or TERM=dumb turn it off there.
func TestColor(t *testing.T) {
	tests := []struct {
		name  string
		tty   bool
		env   map[string]string
		color bool
	}{
		{"pipe", false, nil, false},
		{"tty", true, nil, true},
		{"tty NO_COLOR", true, map[string]string{"NO_COLOR": "1"}, false},
		{"tty TERM=dumb", true, map[string]string{"TERM": "dumb"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			r := e.RunWith(cmdtest.RunOpts{TTY: tt.tty, Env: tt.env}, "create", "web")
			e.Names["web"] = strings.TrimSpace(r.Stdout)
			e.Check(r, cmdtest.Want{Stdout: "{web}\n", Stderr: cmdtest.LogLine(tt.color, "created", "{web}")})
			r = e.RunWith(cmdtest.RunOpts{TTY: tt.tty, Env: tt.env}, "status", "nope")
			e.Check(r, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(tt.color, "error", "API request failed: Host Not Found.")})
			if !tt.color && strings.Contains(r.Stderr+r.Stdout, "\x1b[") {
				t.Errorf("ANSI escape in output:\n%s", r)
			}
		})
	}
}
