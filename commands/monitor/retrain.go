package monitor

import (
	"context"
	"fmt"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/mkr-dev/mkr/internal/cmdutil"
)

type monitorsRetrainOptions struct {
	ID    string
	Print cmdutil.PrintOptions
}

func newMonitorsRetrainCommand(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "retrain",
		Usage:     "retrain an anomaly detection monitor now",
		ArgsUsage: "<monitorId> [--jq <formula>]",
		Description: `Retrain every role of an anomalyDetection monitor on its recent data now, instead of at the
   next daily retraining, and print what was trained: per role the samples, the mixture's
   components and the score threshold of each sensitivity (or why the role could not be trained).
   The monitor's open alerts are closed. An mkr extension: requests "POST /api/v0/monitors/<id>/retrain",
   which mkr's backend (local mode, mkr serve) answers and the hosted API does not.

   Examples:
     mkr monitors retrain 2cYjfibBkaj
     mkr monitors retrain 2cYjfibBkaj --jq '.models[] | select(.status != "trained") | .message'`,
		Flags: []cli.Flag{cmdutil.JQFlag(), cmdutil.OutputFlag()},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return cmdutil.FlagErrorf("a monitor id is required")
			}
			return runMonitorsRetrain(c.Context, f, monitorsRetrainOptions{ID: c.Args().First(), Print: cmdutil.PrintOptionsFrom(c)})
		},
	}
}

func runMonitorsRetrain(ctx context.Context, f *cmdutil.Factory, opts monitorsRetrainOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	out, err := cl.RetrainMonitor(ctx, opts.ID)
	if err != nil {
		return err
	}
	return f.Printer(opts.Print).Print(cmdutil.Output{JSON: out, Table: func() *cmdutil.Table {
		t := &cmdutil.Table{Header: []string{"role", "status", "samples", "components", "sensitive", "normal", "insensitive"}}
		for _, m := range out.Models {
			th := func(s string) string {
				v, ok := m.Thresholds[s]
				if !ok {
					return "-"
				}
				return fmt.Sprintf("%.1f", v)
			}
			status := m.Status
			if m.Message != "" {
				status += ": " + m.Message
			}
			t.Rows = append(t.Rows, []string{m.Scope, status, strconv.Itoa(m.Samples), strconv.Itoa(m.Components),
				th("sensitive"), th("normal"), th("insensitive")})
		}
		return t
	}})
}
