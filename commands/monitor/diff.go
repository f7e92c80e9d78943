package monitor

import (
	"context"

	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type monitorsDiffOptions struct {
	FilePath string
	ExitCode bool
	Reverse  bool
}

func newMonitorsDiffCommand(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "diff rules",
		ArgsUsage: "[--file-path | -F <file>] [--exit-code | -e] [--reverse]",
		Description: `Show the difference between the monitor rules on the server and a file (default monitors.json):
   a summary line, each changed rule as a JSON diff ("-" remote, "+" file), then the rules only on the
   server ("-") and only in the file ("+"). A file rule without "id" is matched by name when names are
   unique on both sides. Requests "GET /api/v0/monitors".

   Example: mkr monitors diff -e -F monitors.json || echo "the server differs"`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "exit-code", Aliases: []string{"e"}, Usage: "exit 1 if there are differences and 0 if there are none, like diff(1)"},
			filePathFlag(),
			&cli.BoolFlag{Name: "reverse", Usage: "show the server's side as + and the file's as -"},
		},
		Action: func(c *cli.Context) error {
			return runMonitorsDiff(c.Context, f, monitorsDiffOptions{
				FilePath: rulesPath(c.String("file-path")), ExitCode: c.Bool("exit-code"), Reverse: c.Bool("reverse"),
			})
		},
	}
}

func runMonitorsDiff(ctx context.Context, f *cmdutil.Factory, opts monitorsDiffOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	d, err := loadBothSides(ctx, f, cl, opts.FilePath)
	if err != nil {
		return err
	}
	if err := f.Printer(cmdutil.PrintOptions{}).PrintText("%s", monitorSpec.DiffText(d, opts.Reverse)); err != nil {
		return err
	}
	if opts.ExitCode && !d.Empty() {
		return &cmdutil.ExitError{Code: 1}
	}
	return nil
}
