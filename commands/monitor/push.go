package monitor

import (
	"context"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/ascode"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type monitorsPushOptions struct {
	FilePath string
	DryRun   bool
	Verbose  bool
	Delete   bool
}

func newMonitorsPushCommand(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "push",
		Usage:     "push rules",
		ArgsUsage: "[--file-path | -F <file>] [--dry-run | -d] [--delete] [--verbose | -v]",
		Description: `Make the monitor rules on the server match a file (default monitors.json): create the rules only
   in the file, delete the rules only on the server, then update the changed ones. Each rule is printed.
   Deleting needs --delete, or a "y" on a terminal; otherwise the rules only on the server are kept,
   listed on stderr, and push exits 2 after creating and updating the others.
   Requests "POST /api/v0/monitors", "DELETE /api/v0/monitors/<id>" and "PUT /api/v0/monitors/<id>".

   Example: mkr monitors push --dry-run -F monitors.json`,
		Flags: []cli.Flag{
			filePathFlag(),
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"d"}, Usage: "show what would be sent, but send nothing"},
			&cli.BoolFlag{Name: "delete", Usage: "delete the rules that are not in the file, without asking"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "dump the write requests and responses on stderr"},
		},
		Action: func(c *cli.Context) error {
			return runMonitorsPush(c.Context, f, monitorsPushOptions{
				FilePath: rulesPath(c.String("file-path")), DryRun: c.Bool("dry-run"),
				Verbose: c.Bool("verbose"), Delete: c.Bool("delete"),
			})
		},
	}
}

func runMonitorsPush(ctx context.Context, f *cmdutil.Factory, opts monitorsPushOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	d, err := loadBothSides(ctx, f, cl, opts.FilePath)
	if err != nil {
		return err
	}
	writer := cl
	if opts.Verbose {
		writer = cl.WithDebug(f.IO.ErrOut)
	}
	return monitorSpec.Push(ctx, f, d, ascode.PushOptions{FilePath: opts.FilePath, DryRun: opts.DryRun, Delete: opts.Delete},
		ascode.Writes[*client.Monitor]{
			Create: func(ctx context.Context, m *client.Monitor) error {
				_, err := writer.CreateMonitor(ctx, m)
				return err
			},
			Delete: func(ctx context.Context, m *client.Monitor) error {
				_, err := writer.DeleteMonitor(ctx, m.ID())
				return err
			},
			Update: func(ctx context.Context, remote, local *client.Monitor) error {
				_, err := writer.UpdateMonitor(ctx, remote.ID(), local)
				return err
			},
		})
}
