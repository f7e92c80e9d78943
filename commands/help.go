package commands

import (
	"fmt"
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
			for _, name := range path {
				if cmd = findCommand(cmds, name); cmd == nil {
					fmt.Fprintf(f.IO.ErrOut, "No help topic for '%s'\n", name)
					return &cmdutil.ExitError{Code: cmdutil.ExitUnknownCommand}
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
