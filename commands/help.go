package commands

import (
	"strings"

	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

// newHelpCommand is `mkr help [command [subcommand]]`, or with a parent
// `mkr <parent> help [subcommand]`. urfave's own help command is a
// package-level value it mutates; this one is built per run.
func newHelpCommand(f *cmdutil.Factory, parent *cli.Command) *cli.Command {
	return &cli.Command{
		Name:        "help",
		Aliases:     []string{"h"},
		Usage:       "Shows a list of commands or help for one command",
		ArgsUsage:   "[command [subcommand]]",
		Description: `Show the help of mkr, or of a command ("mkr help alerts close").`,
		Action: func(c *cli.Context) error {
			path := c.Args().Slice()
			if parent != nil {
				path = append([]string{parent.Name}, path...)
			}
			if len(path) == 0 {
				return cli.ShowAppHelp(c)
			}
			var cmd *cli.Command
			cmds := c.App.Commands
			for i, name := range path {
				if cmd = findCommand(cmds, name); cmd == nil {
					parent := strings.Join(append([]string{c.App.Name}, path[:i]...), " ")
					return unknownCommand(parent, cmds, name)
				}
				cmds = cmd.Subcommands
			}
			tmpl := cli.CommandHelpTemplate
			if len(cmd.Subcommands) > 0 {
				tmpl = cli.SubcommandHelpTemplate
			}
			// HelpName is filled in only on the path urfave runs; print a
			// copy with the full name.
			shown := *cmd
			shown.HelpName = c.App.Name + " " + strings.Join(path, " ")
			cli.HelpPrinter(f.IO.Out, tmpl, &shown)
			return nil
		},
	}
}

// Examples: every command's help ends with at least one real example, as
// gh's do. The one mechanism is the last paragraph of the command's
// Description, so that `--help`, `mkr help <command>` and usage pointers
// all show it with no template of our own:
//
//	Description: `What the command does.
//	   Requests "GET /api/v0/hosts".
//
//	   Examples:
//	     mkr hosts --service web --role app
//	     # comments explain the line below
//	     mkr hosts --status standby --jq '.[].id'`,
//
// The heading is "Example:" or "Examples:" (a single example may follow it
// on the same line); each line after it is a command line running "mkr <the command's path>" (a
// parent's example may name a subcommand; input may be piped into mkr; a
// trailing backslash continues the line), or a "#" comment.
// TestEveryCommandHasAnExample (examples_test.go) walks the tree, parses
// these lines with examplesOf and checks their flags exist.

// examplesOf returns the command lines of the examples section of a
// command's description (comments left out), or nil when it has none.
func examplesOf(description string) []string {
	lines := strings.Split(description, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		heading := strings.TrimSpace(lines[i])
		first, ok := strings.CutPrefix(heading, "Examples:")
		if !ok {
			if first, ok = strings.CutPrefix(heading, "Example:"); !ok {
				continue
			}
		}
		var out []string
		continued := false
		for _, l := range append([]string{first}, lines[i+1:]...) {
			l = strings.TrimSpace(l)
			switch {
			case continued:
				out[len(out)-1] += " " + l
			case l == "" || strings.HasPrefix(l, "#"):
				continue
			default:
				out = append(out, l)
			}
			// A line ending in a backslash goes on, as in a shell.
			if continued = strings.HasSuffix(l, `\`); continued {
				last := out[len(out)-1]
				out[len(out)-1] = strings.TrimSpace(strings.TrimSuffix(last, `\`))
			}
		}
		return out
	}
	return nil
}
