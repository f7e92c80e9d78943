package commands_test

import (
	"os"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/commands"
	"github.com/mkr-dev/mkr/internal/cmdtest"
	"github.com/urfave/cli/v2"
)

// visitCommands calls fn for every command of the tree (urfave's own help
// commands excluded) with its path, such as "serve keys create".
func visitCommands(cmds []*cli.Command, path string, fn func(path string, c *cli.Command)) {
	for _, c := range cmds {
		if c.Name == "help" {
			continue
		}
		p := strings.TrimSpace(path + " " + c.Name)
		fn(p, c)
		visitCommands(c.Subcommands, p, fn)
	}
}

func testApp(t *testing.T) *cli.App {
	t.Helper()
	f, _, _ := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST)).Factory(cmdtest.RunOpts{})
	return commands.NewApp(f)
}

// The help metadata guard of upstream's commands_test.go, over the whole
// tree: every command says what it does, and a leaf with flags of its own
// shows its arguments.
func TestCommandTreeMetadata(t *testing.T) {
	app := testApp(t)
	n := 0
	visitCommands(app.Commands, "", func(path string, c *cli.Command) {
		n++
		if strings.TrimSpace(c.Usage) == "" {
			t.Errorf("%s: no Usage", path)
		}
		if strings.TrimSpace(c.Description) == "" {
			t.Errorf("%s: no Description", path)
		}
		own := 0
		seen := map[string]bool{}
		for _, fl := range c.Flags {
			names := fl.Names()
			if !commands.GlobalFlagNames[names[0]] {
				own++
			}
			for _, name := range names {
				if seen[name] {
					t.Errorf("%s: flag name %q defined twice", path, name)
				}
				seen[name] = true
			}
			if df, ok := fl.(cli.DocGenerationFlag); ok && strings.TrimSpace(df.GetUsage()) == "" {
				t.Errorf("%s: flag --%s has no usage text", path, names[0])
			}
		}
		if len(c.Subcommands) == 0 && own > 0 && strings.TrimSpace(c.ArgsUsage) == "" {
			t.Errorf("%s: a leaf with flags needs ArgsUsage", path)
		}
		// Global flags work after every command name.
		for name := range commands.GlobalFlagNames {
			if !seen[name] {
				t.Errorf("%s: global flag --%s missing", path, name)
			}
		}
	})
	if n < 20 {
		t.Errorf("visited %d commands; the walk is broken", n)
	}
}

// Every command builds and shows its help without a database, key or
// config: the tree is lazy.
func TestEveryCommandHelp(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	os.Remove(e.DBPath())
	visitCommands(testApp(t).Commands, "", func(path string, c *cli.Command) {
		r := e.RunWith(cmdtest.RunOpts{Conf: "-", Env: map[string]string{"MKR_DB": e.Dir + "/never.db"}}, append(strings.Fields(path), "--help")...)
		head := "NAME:\n   mkr " + path + " - " + c.Usage + "\n"
		if r.Code != 0 || !strings.HasPrefix(r.Stdout, head) || r.Stderr != "" {
			t.Errorf("mkr %s --help:\n%s", path, r)
		}
	})
	if _, err := os.Stat(e.Dir + "/never.db"); err == nil {
		t.Error("--help opened the database")
	}
}
