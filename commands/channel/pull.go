package channel

import (
	"context"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/ascode"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type pullOptions struct {
	FilePath string
	Verbose  bool
}

func newCmdPull(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "pull",
		Usage:     "pull channel settings",
		ArgsUsage: "[--file-path | -F <file>] [--verbose | -v]",
		Description: `Pull channels settings from the server and save them to a file (default channels.json)
   as {"channels": [...]}. There is no push: create, update and delete change channels one by one.
   Requests "GET /api/v0/channels".

   Example: mkr channels pull -F channels.json`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "file-path", Aliases: []string{"F"}, Usage: "`FILE` to store channel settings in (default: channels.json)"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "also print the channels on stdout"},
		},
		Action: func(c *cli.Context) error {
			path := c.String("file-path")
			if path == "" {
				path = "channels.json"
			}
			return runPull(c.Context, f, pullOptions{FilePath: path, Verbose: c.Bool("verbose")})
		},
	}
}

func runPull(ctx context.Context, f *cmdutil.Factory, opts pullOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	channels, err := cl.FindChannels(ctx)
	if err != nil {
		return err
	}
	if err := ascode.WriteFile(opts.FilePath, struct {
		Channels []*client.Channel `json:"channels"`
	}{channels}); err != nil {
		return err
	}
	if opts.Verbose {
		if err := f.Printer(cmdutil.PrintOptions{Output: cmdutil.OutputJSON}).Print(cmdutil.Output{JSON: channels}); err != nil {
			return err
		}
	}
	f.Log().Info("Channels are saved to '%s' (%d rules).", opts.FilePath, len(channels))
	return nil
}
