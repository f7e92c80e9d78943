package channel

import (
	"context"
	"fmt"

	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type testOptions struct {
	ID    string
	Print cmdutil.PrintOptions
}

func newCmdTest(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "test",
		Usage:     "Send a test notification to a channel",
		ArgsUsage: "<id> [--jq <formula>]",
		Description: `Send a test notification to a channel now and print what its receiver answered
   ({"success", "status", "response", "error"}). Exits 1 when the receiver refused it or could not be
   reached, or when this backend cannot send to the channel (a type it does not deliver, email
   without an SMTP relay).
   Requests "POST /api/v0/channels/<id>/test", which only mkr's own backend (local or mkr serve) has.

   Example: mkr channels test 2nckL8bKy6E`,
		Flags: []cli.Flag{cmdutil.JQFlag()},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return cmdutil.UsageError(c, "test takes exactly one channel id")
			}
			return runTest(c.Context, f, testOptions{ID: c.Args().First(), Print: cmdutil.PrintOptionsFrom(c)})
		},
	}
}

func runTest(ctx context.Context, f *cmdutil.Factory, opts testOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	res, err := cl.TestChannel(ctx, opts.ID)
	if err != nil {
		return err
	}
	if err := f.Printer(opts.Print).Print(cmdutil.Output{JSON: res}); err != nil {
		return err
	}
	if !res.Success {
		why := res.Error
		if why == "" {
			why = fmt.Sprintf("status %d", res.Status)
		}
		return fmt.Errorf("the test notification to channel %s failed: %s", opts.ID, why)
	}
	f.Log().Info("The test notification reached channel %s.", opts.ID)
	return nil
}
