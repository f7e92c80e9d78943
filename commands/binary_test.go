package commands_test

// The real mkr binary, for what only a separate process shows: urfave/cli
// reads os.Args itself when it completes, and processes share nothing but
// the database.

import (
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// binCompletion runs `mkr --conf <conf> args... --generate-bash-completion`
// as the completion scripts do.
func binCompletion(t *testing.T, e *cmdtest.Env, bin string, args ...string) (stdout string, ok bool) {
	t.Helper()
	cmd := exec.Command(bin, append(append([]string{"--conf", e.Conf}, args...), "--generate-bash-completion")...)
	cmd.Env = e.ProcEnv()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if err != nil || errOut.Len() != 0 {
		t.Errorf("mkr %s --generate-bash-completion: %v\n%s", strings.Join(args, " "), err, errOut.String())
		return out.String(), false
	}
	return out.String(), true
}

// Completion through the real binary: urfave/cli reads os.Args itself
// when it completes, so in-process runs cannot show it.
func TestBinaryCompletion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the mkr binary; skipped with -short")
	}
	bin := cmdtest.Binary(t)
	t.Run("commands", func(t *testing.T) {
		binaryCompletionCoversCommands(t, bin, cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST)))
	})
	t.Run("flags", func(t *testing.T) { binaryFlagCompletion(t, bin, cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))) })
}

// Every visible command and subcommand is offered by
// --generate-bash-completion, which the bash and zsh scripts call.
func binaryCompletionCoversCommands(t *testing.T, bin string, e *cmdtest.Env) {
	words := func(path ...string) []string {
		out, _ := binCompletion(t, e, bin, path...)
		return strings.Fields(out)
	}
	top := words()
	n := 0
	for _, c := range testApp(t).VisibleCommands() {
		n++
		if !slices.Contains(top, c.Name) {
			t.Errorf("mkr --generate-bash-completion lacks %q: %q", c.Name, top)
		}
		if c.Name == "help" || len(c.Subcommands) == 0 {
			continue
		}
		subs := words(c.Name)
		for _, s := range c.VisibleCommands() {
			if !slices.Contains(subs, s.Name) {
				t.Errorf("mkr %s --generate-bash-completion lacks %q: %q", c.Name, s.Name, subs)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d visible commands", n)
	}
}

// The completion scripts send the word being completed before
// --generate-bash-completion; urfave reads it from os.Args, so this runs
// the real binary. Completing never runs the command, even for "--".
func binaryFlagCompletion(t *testing.T, bin string, e *cmdtest.Env) {
	host := e.CreateHost("web")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"hosts", "--s"}, "--service\n--status\n--st\n--status-age\n"},
		{[]string{"hosts", "-"}, "--name\n-n\n--service\n-s\n--role\n-r\n--status\n--st\n--custom-identifier\n--format\n-f\n--verbose\n-v\n--status-age\n--jq\n--output\n--all-profiles\n--apibase\n--quiet\n-q\n--db\n--local\n--profile\n--help\n-h\n"},
		{[]string{"retire", "--force", host, "--"}, "--apibase\n--quiet\n--db\n--local\n--profile\n--help\n"},
		{[]string{"serve", "keys", "create", "--"}, "--read-only\n--name\n--apibase\n--quiet\n--db\n--local\n--profile\n--help\n"},
		{[]string{"serve", "--l"}, "--listen\n--local\n"},
		{[]string{"services", ""}, "create\ndelete\nhelp\nh\n"},
		{[]string{"metadata", "put", "-H", host, "ns", "--", "--f"}, "--file\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			if got, ok := binCompletion(t, e, bin, tt.args...); ok && got != tt.want {
				t.Errorf("offered:\n%swant:\n%s", got, tt.want)
			}
		})
	}
	// None of that ran a command.
	e.Check(e.Run("serve", "keys", "list", "--jq", "length"), cmdtest.Want{Stdout: "0\n"})
	e.Check(e.Run("status", host, "--jq", ".isRetired"), cmdtest.Want{Stdout: "false\n"})
	e.Check(e.Run("metadata", "list", "-H", host), cmdtest.Want{Stdout: "[]\n"})
}
