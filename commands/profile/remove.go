package profile

import (
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func newRemoveCommand(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "remove",
		Usage:     "Remove profiles",
		ArgsUsage: "<name>...",
		Description: `Remove profiles (and their keys) from the profiles file. Removing the current profile leaves
   no current one. Nothing on the server changes.

   Example:
     mkr profiles remove old-customer`,
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return cmdutil.UsageError(c, "profiles remove needs at least one <name>")
			}
			return runRemove(f, c.Args().Slice())
		},
	}
}

func runRemove(f *cmdutil.Factory, names []string) error {
	ps, err := f.LoadProfiles()
	if err != nil {
		return err
	}
	// All or nothing: a typo among the names removes none of them.
	for _, name := range names {
		if _, err := ps.Get(name); err != nil {
			return err
		}
	}
	for _, name := range names {
		delete(ps.Entries, name)
		if ps.Current == name {
			ps.Current = ""
		}
	}
	if err := f.SaveProfiles(ps); err != nil {
		return err
	}
	for _, name := range names {
		f.Log().Log("removed", "profile %s", name)
	}
	return nil
}
