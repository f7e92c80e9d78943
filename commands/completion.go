package commands

import (
	"github.com/mkr-dev/mkr/completions"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func newCompletionCommand(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "Print a shell completion script",
		ArgsUsage: "bash|zsh|fish",
		Description: `Print the completion script for a shell.

   Examples:
     # bash, in ~/.bashrc
     source <(mkr completion bash)
     # zsh, in ~/.zshrc
     source <(mkr completion zsh)
     # fish, in ~/.config/fish/config.fish
     mkr completion fish | source`,
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return cmdutil.UsageError(c, "completion needs one shell: bash, zsh or fish")
			}
			p := f.Printer(cmdutil.PrintOptions{})
			switch c.Args().First() {
			case "bash":
				return p.PrintText("%s", completions.Bash)
			case "zsh":
				return p.PrintText("%s", completions.Zsh)
			case "fish":
				script, err := c.App.ToFishCompletion()
				if err != nil {
					return err
				}
				return p.PrintText("%s", script)
			default:
				return cmdutil.UsageError(c, "unknown shell %q: use bash, zsh or fish", c.Args().First())
			}
		},
	}
}
