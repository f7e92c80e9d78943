package commands

import (
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/completions"
)

func TestCompletionScripts(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(ttyName(tty), func(t *testing.T) {
			e := newTestEnv(t)
			help := e.helpOf("completion")
			o := runOpts{tty: tty}
			e.check(e.runWith(o, "completion", "bash"), want{stdout: completions.Bash})
			e.check(e.runWith(o, "completion", "zsh"), want{stdout: completions.Zsh})
			e.check(e.runWith(o, "completion", "ksh"), want{
				code: 1, stderr: help + logLine(tty, "error", `unknown shell "ksh": use bash, zsh or fish`),
			})
			e.check(e.runWith(o, "completion"), want{
				code: 1, stderr: help + logLine(tty, "error", "completion needs one shell: bash, zsh or fish"),
			})
			e.check(e.runWith(o, "completion", "bash", "zsh"), want{
				code: 1, stderr: help + logLine(tty, "error", "completion needs one shell: bash, zsh or fish"),
			})
			fish := e.runWith(o, "completion", "fish")
			if fish.code != 0 || fish.stderr != "" || !strings.HasPrefix(fish.stdout, "# mkr fish shell completion\n") {
				t.Errorf("completion fish:\n%s", fish)
			}
		})
	}
	// The bash and zsh scripts ask mkr for candidates; they list nothing.
	for name, script := range map[string]string{"bash": completions.Bash, "zsh": completions.Zsh} {
		if !strings.Contains(script, "--generate-bash-completion") || strings.Contains(script, "hosts") {
			t.Errorf("%s script does not delegate to mkr --generate-bash-completion", name)
		}
	}
}

// Every visible command and subcommand is offered by the fish script.
func TestFishCompletionCoversCommands(t *testing.T) {
	e := newTestEnv(t)
	fish := e.mustRun("completion", "fish")
	n := 0
	for _, c := range testApp(t).VisibleCommands() {
		n++
		line := "complete -r -c mkr -n '__fish_mkr_no_subcommand' -a '" + strings.Join(c.Names(), " ") + "' -d "
		if !strings.Contains(fish, line) {
			t.Errorf("fish script lacks %q", line)
		}
		for _, s := range c.VisibleCommands() {
			if s.Name == "help" {
				continue
			}
			line := "complete -r -c mkr -n '__fish_seen_subcommand_from " + c.Name + "' -a '" + s.Name + "' -d "
			if !strings.Contains(fish, line) {
				t.Errorf("fish script lacks %q", line)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d visible commands", n)
	}
}

// In-process, completion with "--" present (the word being completed)
// still only completes: it must never run the command.
func TestCompletionNeverRuns(t *testing.T) {
	e := newTestEnv(t)
	web := e.createHost("web")
	for _, args := range [][]string{
		{"serve", "keys", "create", "--"},
		{"retire", "--force", web, "--"},
		{"create", "--", "x"},
		{"metadata", "put", "-H", web, "ns", "--", "1"},
	} {
		r := e.run(append(args, "--generate-bash-completion")...)
		if r.code != 0 || r.stderr != "" {
			t.Errorf("%q:\n%s", args, r)
		}
	}
	e.check(e.run("serve", "keys", "list", "--jq", "length"), want{stdout: "0\n"})
	e.check(e.run("hosts", "--jq", ".[].name"), want{stdout: "web\n"})
	e.check(e.run("metadata", "list", "-H", web), want{stdout: "[]\n"})
}
