package org

import (
	"context"

	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func NewCmdOrg(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "org",
		Usage:     "Show the organization and which backend answered",
		ArgsUsage: "[--jq <formula>]",
		Description: `Show the organization of the API key, and log (on stderr) which backend answered:
   the hosted API, another server, or the local database.
   Requests "GET /api/v0/org". See https://mackerel.io/api-docs/entry/organizations#get .

   Example:
     mkr org --jq .name`,
		Flags: []cli.Flag{cmdutil.JQFlag(), cmdutil.OutputFlag(), cmdutil.AllProfilesFlag()},
		Action: func(c *cli.Context) error {
			opts := cmdutil.PrintOptionsFrom(c)
			if c.Bool("all-profiles") {
				return runOrgAllProfiles(c.Context, f, opts)
			}
			return runOrg(c.Context, f, opts)
		},
		Subcommands: []*cli.Command{newCmdOrgRename(f)},
	}
}

func runOrg(ctx context.Context, f *cmdutil.Factory, opts cmdutil.PrintOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	org, err := cl.GetOrg(ctx)
	if err != nil {
		return err
	}
	target, err := f.ResolveTarget()
	if err != nil {
		return err
	}
	f.Log().Info("backend: %s", target)
	return f.Printer(opts).Print(cmdutil.Output{JSON: org, Table: func() *cmdutil.Table {
		return &cmdutil.Table{Header: []string{"name", "display name", "backend"}, Rows: [][]string{{org.Name, org.DisplayName, target.String()}}}
	}})
}
