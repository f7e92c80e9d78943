// Package dashboard holds `mkr dashboards` and its verbs: the list, pull,
// diff and push of custom dashboards kept as one dashboard-<id>.json file
// each (every field kept, where upstream's pull without --id wrote
// "widgets": null), and show, which draws a dashboard in the terminal.
package dashboard

import (
	"context"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func NewCmdDashboards(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "dashboards",
		Usage:     "Manipulate custom dashboards",
		ArgsUsage: "[--jq <formula>]",
		Description: `Manipulate custom dashboards. With no subcommand, list them (JSON without widgets, as the API lists
   them; a table on a terminal). pull, diff and push keep them as code, one dashboard-<id>.json file each;
   show draws one in the terminal.
   Requests APIs under "/api/v0/dashboards". See https://mackerel.io/api-docs/entry/dashboards .

   Example: mkr dashboards --jq '.[] | select(.urlPath | startswith("ops/")) | .id'`,
		Flags: []cli.Flag{cmdutil.JQFlag(), cmdutil.OutputFlag()},
		Action: func(c *cli.Context) error {
			return runList(c.Context, f, cmdutil.PrintOptionsFrom(c))
		},
		Subcommands: []*cli.Command{
			newCmdPull(f),
			newCmdDiff(f),
			newCmdPush(f),
			newCmdShow(f),
		},
	}
}

func runList(ctx context.Context, f *cmdutil.Factory, opts cmdutil.PrintOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	list, err := cl.FindDashboards(ctx)
	if err != nil {
		return err
	}
	return f.Printer(opts).Print(cmdutil.Output{JSON: list, Table: func() *cmdutil.Table {
		t := &cmdutil.Table{Header: []string{"id", "urlPath", "title", "updated"}}
		for _, d := range list {
			s, err := d.Parse()
			if err != nil {
				continue
			}
			t.Rows = append(t.Rows, []string{s.ID, s.URLPath, s.Title,
				time.Unix(s.UpdatedAt, 0).In(f.TimeZone()).Format(time.DateTime)})
		}
		return t
	}})
}
