package commands_test

import (
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/completions"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestCompletionScripts(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			o := cmdtest.RunOpts{TTY: tty}
			e.Check(e.RunWith(o, "completion", "bash"), cmdtest.Want{Stdout: completions.Bash})
			e.Check(e.RunWith(o, "completion", "zsh"), cmdtest.Want{Stdout: completions.Zsh})
			e.Check(e.RunWith(o, "completion", "ksh"), cmdtest.Want{
				Code: 1, Stderr: cmdtest.UsageError(tty, `unknown shell "ksh": use bash, zsh or fish`, "completion"),
			})
			e.Check(e.RunWith(o, "completion"), cmdtest.Want{
				Code: 1, Stderr: cmdtest.UsageError(tty, "completion needs one shell: bash, zsh or fish", "completion"),
			})
			e.Check(e.RunWith(o, "completion", "bash", "zsh"), cmdtest.Want{
				Code: 1, Stderr: cmdtest.UsageError(tty, "completion needs one shell: bash, zsh or fish", "completion"),
			})
			fish := e.RunWith(o, "completion", "fish")
			if fish.Code != 0 || fish.Stderr != "" || !strings.HasPrefix(fish.Stdout, "# mkr fish shell completion\n") {
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
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	fish := e.MustRun("completion", "fish")
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
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	web := e.CreateHost("web")
	for _, args := range [][]string{
		{"serve", "keys", "create", "--"},
		{"retire", "--force", web, "--"},
		{"create", "--", "x"},
		{"metadata", "put", "-H", web, "ns", "--", "1"},
	} {
		r := e.Run(append(args, "--generate-bash-completion")...)
		if r.Code != 0 || r.Stderr != "" {
			t.Errorf("%q:\n%s", args, r)
		}
	}
	e.Check(e.Run("serve", "keys", "list", "--jq", "length"), cmdtest.Want{Stdout: "0\n"})
	e.Check(e.Run("hosts", "--jq", ".[].name"), cmdtest.Want{Stdout: "web\n"})
	e.Check(e.Run("metadata", "list", "-H", web), cmdtest.Want{Stdout: "[]\n"})
}
