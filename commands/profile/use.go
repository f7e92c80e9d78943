package profile

import (
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func newUseCommand(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "use",
		Usage:     "Choose the current profile",
		ArgsUsage: "<name> | --none",
		Description: `Make a profile the current one: the backend of every command that no --local, --profile,
   MKR_PROFILE, environment API key or --apibase sends elsewhere. It wins over the agent conf's
   apikey. --none goes back to no current profile.

   Examples:
     mkr profiles use acme
     mkr profiles use --none`,
		Flags: []cli.Flag{&cli.BoolFlag{Name: "none", Usage: "leave no profile current"}},
		Action: func(c *cli.Context) error {
			none := c.Bool("none")
			switch {
			case none && c.NArg() != 0:
				return cmdutil.UsageError(c, "profiles use takes a <name> or --none, not both")
			case !none && c.NArg() != 1:
				return cmdutil.UsageError(c, "profiles use needs exactly one <name> (or --none)")
			}
			return runUse(f, c.Args().First())
		},
	}
}

func runUse(f *cmdutil.Factory, name string) error {
	ps, err := f.LoadProfiles()
	if err != nil {
		return err
	}
	if name != "" {
		if _, err := ps.Get(name); err != nil {
			return err
		}
	}
	ps.Current = name
	if err := f.SaveProfiles(ps); err != nil {
		return err
	}
	if name == "" {
		f.Log().Info("no current profile")
	} else {
		f.Log().Info("current profile: %s", name)
	}
	return nil
}
