package commands

import (
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	for _, flag := range []string{"--version", "-v"} {
		for _, tty := range []bool{false, true} {
			t.Run(flag+"/"+ttyName(tty), func(t *testing.T) {
				e := newTestEnv(t)
				e.check(e.runWith(runOpts{tty: tty}, flag), want{
					stdout: "mkr version 1.2.3-test (rev:0123abcd)\n",
				})
			})
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(ttyName(tty), func(t *testing.T) {
			e := newTestEnv(t)
			e.check(e.runWith(runOpts{tty: tty}, "hostz"), want{
				code:   3,
				stderr: "No help topic for 'hostz'\n",
			})
		})
	}
}

// An unknown flag shows exactly the usage `--help` prints, then the error.
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
			t.Run(tt.name+"/"+ttyName(tty), func(t *testing.T) {
				e := newTestEnv(t)
				e.check(e.runWith(runOpts{tty: tty}, tt.args...), want{
					code:   1,
					stderr: e.helpOf(tt.help...) + logLine(tty, "error", "flag provided but not defined: "+tt.flag),
				})
				// Nothing was created by the refused `create`.
				e.check(e.run("hosts"), want{stdout: "[]\n"})
			})
		}
	}
}

// urfave/cli gives every command a "help, h" subcommand; on a leaf it must
// not swallow a positional argument spelled like it.
func TestPositionalNamedHelp(t *testing.T) {
	e := newTestEnv(t)
	h := e.createHost("h")
	help := e.createHost("help")
	e.check(e.run("hosts", "--jq", ".[].name"), want{stdout: "h\nhelp\n"})
	e.check(e.run("status", "help", "--jq", ".id"), want{
		code:   1,
		stderr: logLine(false, "error", "API request failed: Host Not Found."),
	})
	e.check(e.run("update", "--memo", "x", h, help), want{
		stderr: logLine(false, "updated", h) + logLine(false, "updated", help),
	})
	// Parents keep their help subcommand.
	r := e.run("services", "help")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "NAME:\n   mkr services - List services\n") {
		t.Errorf("mkr services help:\n%s", r)
	}
}

// --quiet (-q), before or after the command name, hides every info-level
// line but keeps errors and warnings.
func TestQuiet(t *testing.T) {
	e := newTestEnv(t)
	web := e.createHost("web")
	tests := []struct {
		name string
		args []string
		want want
	}{
		{"create", []string{"create", "-q", "--st", "standby", "db"}, want{stdout: "{new}\n"}},
		{"global before command", []string{"--quiet", "update", "--memo", "m", web}, want{}},
		{"org", []string{"org", "-q", "--jq", ".name"}, want{stdout: "local\n"}},
		{"metadata put", []string{"metadata", "put", "-q", "-H", web, "ns", "1"}, want{}},
		{"metadata delete", []string{"metadata", "delete", "-q", "--force", "-H", web, "ns"}, want{}},
		{"services create", []string{"services", "create", "-q", "svc", "--jq", ".name"}, want{stdout: "svc\n"}},
		{"roles create", []string{"roles", "create", "-q", "-s", "svc", "app", "--jq", ".name"}, want{stdout: "app\n"}},
		{"roles delete", []string{"roles", "delete", "-q", "-s", "svc", "--force", "app", "--jq", ".name"}, want{stdout: "app\n"}},
		{"services delete", []string{"services", "delete", "-q", "--force", "svc", "--jq", ".name"}, want{stdout: "svc\n"}},
		{"retire", []string{"retire", "-q", "--force", web}, want{}},
		{"errors stay", []string{"status", "-q", "nope"}, want{code: 1, stderr: logLine(false, "error", "API request failed: Host Not Found.")}},
		{"usage errors stay", []string{"-q", "hosts", "--format", "x", "--jq", "."}, want{code: 1, stderr: logLine(false, "error", "--format and --jq options are incompatible.")}},
	}
	for _, tt := range tests {
		r := e.run(tt.args...)
		if tt.name == "create" {
			e.names["new"] = strings.TrimSpace(r.stdout)
		}
		t.Run(tt.name, func(t *testing.T) { e.checkT(t, r, tt.want) })
	}
}

// Global flags are accepted after the command name too, and the innermost
// one wins.
func TestGlobalFlagsAfterCommand(t *testing.T) {
	e := newTestEnv(t)
	other := e.dir + "/other.db"
	id := strings.TrimSpace(e.mustRun("create", "--db", other, "elsewhere"))
	e.names["elsewhere"] = id
	e.check(e.run("hosts"), want{stdout: "[]\n"})
	e.check(e.run("hosts", "--db", other, "--jq", ".[].id"), want{stdout: "{elsewhere}\n"})
	e.check(e.run("--db", e.dbPath(), "hosts", "--db", other, "--jq", ".[].name"), want{stdout: "elsewhere\n"})
	e.check(e.run("--db", other, "hosts", "--jq", ".[].name"), want{stdout: "elsewhere\n"})

	// --conf after the command: its root holds the id file.
	e.writeHostID(id + "\n")
	e.check(e.runWith(runOpts{noConf: true}, "status", "--conf", e.conf, "--db", other, "--jq", ".name"), want{stdout: "elsewhere\n"})
}

// Flags may follow positional arguments, as upstream's CLI allows; "--"
// ends the flags.
func TestFlagsAfterPositionalArgs(t *testing.T) {
	e := newTestEnv(t)
	web := e.createHost("web", "--st", "standby")
	tests := []struct {
		name string
		args []string
		want want
	}{
		{"create --st", []string{"create", "db", "--st", "maintenance", "-R", "svc:app"}, want{
			stdout: "{db}\n",
			stderr: logLine(false, "created", "{db}") + logLine(false, "updated", "{db} maintenance"),
		}},
		{"update then flags", []string{"update", web, "--memo", "m", "-n", "web2"}, want{stderr: logLine(false, "updated", web)}},
		{"metadata after namespace", []string{"metadata", "put", "ns", "-H", web, "[1]"}, want{stderr: logLine(false, "updated", "metadata ns")}},
		{"value after --", []string{"metadata", "put", "-H", web, "neg", "--", "-1"}, want{stderr: logLine(false, "updated", "metadata neg")}},
		{"namespace after --", []string{"metadata", "get", "-H", web, "--", "neg"}, want{stdout: "-1\n"}},
		{"retire --force last", []string{"retire", web, "--force"}, want{stderr: logLine(false, "retired", web)}},
	}
	for _, tt := range tests {
		r := e.run(tt.args...)
		if tt.name == "create --st" {
			e.names["db"] = strings.TrimSpace(r.stdout)
		}
		t.Run(tt.name, func(t *testing.T) { e.checkT(t, r, tt.want) })
	}
	e.check(e.run("hosts", "--st", "maintenance", "--jq", `.[] | [.name, .status, .roleFullnames[0]] | join(" ")`), want{
		stdout: "db maintenance svc:app\n",
	})
	e.check(e.run("status", web, "--jq", `.isRetired`), want{stdout: "true\n"})
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
			e := newTestEnv(t)
			r := e.runWith(runOpts{tty: tt.tty, env: tt.env}, "create", "web")
			e.names["web"] = strings.TrimSpace(r.stdout)
			e.check(r, want{stdout: "{web}\n", stderr: logLine(tt.color, "created", "{web}")})
			r = e.runWith(runOpts{tty: tt.tty, env: tt.env}, "status", "nope")
			e.check(r, want{code: 1, stderr: logLine(tt.color, "error", "API request failed: Host Not Found.")})
			if !tt.color && strings.Contains(r.stderr+r.stdout, "\x1b[") {
				t.Errorf("ANSI escape in output:\n%s", r)
			}
		})
	}
}
