package downtime

import (
	"context"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type deleteOptions struct {
	IDs   []string
	Force bool
}

func newCmdDelete(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "delete",
		Usage:     "Delete downtimes",
		ArgsUsage: "[--force] <id>...",
		Description: `Delete downtimes: alerts they silenced are raised again from then on.
   Asks for confirmation (default no). When stdin or stdout is not a terminal it refuses unless --force is given.
   Requests "DELETE /api/v0/downtimes/<id>" for each id, stopping at the first failure.

   Examples:
     mkr downtimes delete 3JwREyrZGQ9
     mkr downtimes delete --force 3JwREyrZGQ9 3JwREyrZGQa`,
		Flags: []cli.Flag{&cli.BoolFlag{Name: "force", Usage: "delete without confirmation"}},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return cmdutil.UsageError(c, "delete needs at least one downtime id")
			}
			return runDelete(c.Context, f, deleteOptions{IDs: c.Args().Slice(), Force: c.Bool("force")})
		},
	}
}

func runDelete(ctx context.Context, f *cmdutil.Factory, opts deleteOptions) error {
	return cmdutil.DeleteEach(ctx, f, "downtimes", opts.IDs, opts.Force,
		func(ctx context.Context, cl *client.Client, id string) (string, error) {
			d, err := cl.DeleteDowntime(ctx, id)
			if err != nil {
				return "", err
			}
			return d.ID + " " + d.Name, nil
		})
}
