package host

import (
	"context"
	"fmt"
	"strings"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type retireOptions struct {
	HostIDs []string
	Force   bool
}

func NewCmdRetire(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "retire",
		Usage:     "Retire hosts",
		ArgsUsage: "[--force] [<hostIds...>]",
		Description: `Retire hosts identified by <hostIds>. Be careful: a retired host cannot be restored.
   Asks for confirmation (default no). When stdin or stdout is not a terminal it refuses unless --force is given.
   Without <hostIds>, the local mackerel-agent's host is retired.
   Requests "POST /api/v0/hosts/<hostId>/retire" (or bulk-retire for several hosts). See https://mackerel.io/api-docs/entry/hosts#retire .

   Examples:
     mkr retire 2eQGEaLxibb
     mkr retire --force 2eQGEaLxibb 2eQGEaLxibc`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "force", Usage: "retire without confirmation"},
		},
		Action: func(c *cli.Context) error {
			ids, err := hostIDsOrLocal(c, f)
			if err != nil {
				return err
			}
			return runRetire(c.Context, f, retireOptions{HostIDs: ids, Force: c.Bool("force")})
		},
	}
}

func runRetire(ctx context.Context, f *cmdutil.Factory, opts retireOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	// Before asking: a typo is reported without a question about it.
	if err := checkHostsWritable(ctx, cl, opts.HostIDs, "retired"); err != nil {
		return err
	}
	question := "Retire following hosts.\n  " + strings.Join(opts.HostIDs, "\n  ") + "\nAre you sure?"
	if err := cmdutil.ConfirmDestructive(f, opts.Force, question); err != nil {
		var cancel *cmdutil.CancelError
		if cmdutil.AsCancel(err, &cancel) {
			return &cmdutil.CancelError{Msg: "retirement is canceled."}
		}
		return err
	}
	if len(opts.HostIDs) == 1 {
		if err := cl.RetireHost(ctx, opts.HostIDs[0]); err != nil {
			return fmt.Errorf("retiring host %s: %w", opts.HostIDs[0], err)
		}
		f.Log().Log("retired", "%s", opts.HostIDs[0])
		return nil
	}
	for start := 0; start < len(opts.HostIDs); start += client.MaxHostIDsPerBulkRequest {
		chunk := opts.HostIDs[start:min(start+client.MaxHostIDsPerBulkRequest, len(opts.HostIDs))]
		if err := cl.BulkRetireHosts(ctx, chunk); err != nil {
			// The bulk call is all or nothing: none of these was retired.
			return fmt.Errorf("retiring hosts %s: %w", strings.Join(chunk, ", "), err)
		}
		for _, id := range chunk {
			f.Log().Log("retired", "%s", id)
		}
	}
	return nil
}
