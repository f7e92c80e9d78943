package channel

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
		Usage:     "Delete notification channels",
		ArgsUsage: "[--force] <id>...",
		Description: `Delete notification channels; they leave every notification group too.
   Asks for confirmation (default no). When stdin or stdout is not a terminal it refuses unless --force is given.
   Requests "DELETE /api/v0/channels/<id>" for each id, stopping at the first failure.

   Example: mkr channels delete --force 2nckL8bKy6E`,
		Flags: []cli.Flag{&cli.BoolFlag{Name: "force", Usage: "delete without confirmation"}},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return cmdutil.UsageError(c, "delete needs at least one channel id")
			}
			return runDelete(c.Context, f, deleteOptions{IDs: c.Args().Slice(), Force: c.Bool("force")})
		},
	}
}

func runDelete(ctx context.Context, f *cmdutil.Factory, opts deleteOptions) error {
	return cmdutil.DeleteEach(ctx, f, "channels", opts.IDs, opts.Force,
		func(ctx context.Context, cl *client.Client, id string) (string, error) {
			ch, err := cl.DeleteChannel(ctx, id)
			if err != nil {
				return "", err
			}
			return ch.ID() + " " + ch.Name(), nil
		})
}
