package org

import (
	"context"

	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/mkr-dev/mkr/internal/dbdsn"
	"github.com/urfave/cli/v2"
)

// newCmdOrgRename renames the organization of the local database. The
// hosted API has no endpoint for it (an organization is renamed in its web
// UI), so this works on the embedded backend only, as `serve keys` does.
func newCmdOrgRename(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "rename",
		Usage:     "Rename the organization of the local database",
		ArgsUsage: "[--display-name <name>] <name>",
		Description: `Set the organization name (and display name) of the local database: what "mkr org" and
   GET /api/v0/org answer, in local mode and through "mkr serve" on the same --db (at once, also
   while it runs). A name has 1 to 63 letters, digits, - or _; without --display-name the display
   name is removed. The hosted API cannot be renamed from here.

   Examples:
     mkr org rename acme
     mkr org rename --display-name "ACME, Inc." acme --db /var/lib/mkr/mkr.db`,
		Flags: []cli.Flag{&cli.StringFlag{Name: "display-name", Usage: "display `NAME` of the organization"}},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return cmdutil.UsageError(c, "org rename needs exactly one <name>")
			}
			return runOrgRename(c.Context, f, c.Args().First(), c.String("display-name"))
		},
	}
}

func runOrgRename(ctx context.Context, f *cmdutil.Factory, name, displayName string) error {
	path := f.DBPath()
	b, err := f.OpenBackend(ctx, path)
	if err != nil {
		return err
	}
	if err := b.SetOrg(ctx, name, displayName); err != nil {
		return err
	}
	f.Log().Log("updated", "organization of %s is now %s", dbdsn.Display(path), name)
	return nil
}
