// Package profile is `mkr profiles`: named backends (an organization's
// API key, a self-hosted server, a local database) stored in
// $XDG_CONFIG_HOME/mkr/profiles.toml and chosen with --profile.
package profile

import (
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func NewCmdProfiles(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "profiles",
		Usage:     "Add, list, remove and choose profiles (one per organization or server)",
		ArgsUsage: "[add | list | remove | use]",
		Description: `A profile names a backend: an organization's API key (with the hosted API or another --apibase),
   or a local database (--db). Run any command against one with --profile NAME (or MKR_PROFILE),
   make one the default with "mkr profiles use NAME", or query them all with --all-profiles
   (hosts, alerts, status, org). Profiles live in $XDG_CONFIG_HOME/mkr/profiles.toml
   (default ~/.config/mkr/profiles.toml), readable by you only; keys are never printed.
   Without a subcommand, lists the profiles.

   Examples:
     mkr profiles add acme --apikey-stdin < acme.key
     mkr profiles add lab --apibase http://mkr.lab:8080 --apikey-stdin < lab.key
     mkr profiles add scratch --db ~/scratch.db
     mkr hosts --profile acme
     mkr hosts --all-profiles`,
		Flags: []cli.Flag{cmdutil.JQFlag(), cmdutil.OutputFlag()},
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return cmdutil.UsageError(c, "unknown profiles subcommand %q", c.Args().First())
			}
			return runList(f, cmdutil.PrintOptionsFrom(c))
		},
		Subcommands: []*cli.Command{
			newAddCommand(f),
			newListCommand(f),
			newRemoveCommand(f),
			newUseCommand(f),
		},
	}
}
