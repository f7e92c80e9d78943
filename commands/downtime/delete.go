package downtime

import (
	"context"
	"strings"

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
	question := "Delete following downtimes.\n  " + strings.Join(opts.IDs, "\n  ") + "\nAre you sure?"
	if err := cmdutil.ConfirmDestructive(f, opts.Force, question); err != nil {
		var cancel *cmdutil.CancelError
		if cmdutil.AsCancel(err, &cancel) {
			return &cmdutil.CancelError{Msg: "deletion is canceled."}
		}
		return err
	}
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	for _, id := range opts.IDs {
		d, err := cl.DeleteDowntime(ctx, id)
		if err != nil {
			return err
		}
		f.Log().Log("deleted", "%s %s", d.ID, d.Name)
	}
	return nil
}
