package commands_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdtest"
	"github.com/urfave/cli/v2"
)

// A write command given --output table used to write, then exit 1 with "no
// table output". It now prints the object it wrote as a table.
func TestWriteCommandsHonourOutputTable(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			o := cmdtest.RunOpts{TTY: tty}
			table := "FIELD   VALUE\nname    web\nmemo    first\nroles   []\n"
			e.Check(e.RunWith(o, "services", "create", "web", "--memo", "first", "--output", "table"), cmdtest.Want{
				Stdout: table, Stderr: cmdtest.LogLine(tty, "created", "service web"),
			})
			e.Check(e.RunWith(o, "services", "delete", "web", "--force", "--output", "table"), cmdtest.Want{
				Stdout: table, Stderr: cmdtest.LogLine(tty, "deleted", "service web"),
			})
			e.Check(e.Run("services"), cmdtest.Want{Stdout: "[]\n"})
		})
	}
}

// Output flags are checked before any command runs, for every command that
// has them: a write never happens and only then fails to print.
func TestEveryCommandChecksOutputFlagsFirst(t *testing.T) {
	app := testApp(t)
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	bad := []struct {
		flag, value, stderr string
	}{
		{"output", "xml", cmdtest.LogLine(false, "error", `--output must be json or table, not "xml"`)},
		{"jq", ".[", ""},
		{"format", "{{.Name", ""},
	}
	n := 0
	visitCommands(app.Commands, "", func(path string, c *cli.Command) {
		for _, b := range bad {
			if !hasFlag(c, b.flag) {
				continue
			}
			n++
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			// Arguments a write would need, so that only the flag stops it.
			args := append(strings.Fields(path), "--"+b.flag, b.value, "arg1", "arg2")
			r := e.RunCtx(ctx, cmdtest.RunOpts{}, args...)
			cancel()
			if b.stderr != "" {
				e.CheckT(t, r, cmdtest.Want{Code: 1, Stderr: b.stderr})
				continue
			}
			if r.Code != 1 || r.Stdout != "" || !strings.Contains(r.Stderr, "invalid --"+b.flag) {
				t.Errorf("mkr %s: want the bad --%s refused:\n%s", strings.Join(args, " "), b.flag, r)
			}
		}
	})
	if n < 10 {
		t.Errorf("checked %d flags; the walk is broken", n)
	}
	// Nothing was written by any of those runs.
	e.Check(e.Run("services"), cmdtest.Want{Stdout: "[]\n"})
	e.Check(e.Run("hosts"), cmdtest.Want{Stdout: "[]\n"})
}

func hasFlag(c *cli.Command, name string) bool {
	for _, fl := range c.Flags {
		for _, n := range fl.Names() {
			if n == name {
				return true
			}
		}
	}
	return false
}
