package dashboard

import (
	"context"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func dirFlag() cli.Flag {
	return &cli.StringFlag{Name: "dir", Value: ".", Usage: "`DIR` of the dashboard-<id>.json files"}
}

func newCmdPull(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "pull",
		Usage:     "pull custom dashboards",
		ArgsUsage: "[--id <id>] [--dir <dir>]",
		Description: `Save custom dashboards to dashboard-<id>.json files (4-space JSON, every field as the server answers
   it), one per dashboard, or only the one of --id. Each dashboard is fetched in full: upstream mkr's pull
   without --id saved "widgets": null. Requests "GET /api/v0/dashboards" and "GET /api/v0/dashboards/<id>".

   Example: mkr dashboards pull --dir dashboards && git -C dashboards diff`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "id", Usage: "the `ID` of the one dashboard to pull"},
			dirFlag(),
		},
		Action: func(c *cli.Context) error {
			return runPull(c.Context, f, c.String("id"), c.String("dir"))
		},
	}
}

func runPull(ctx context.Context, f *cmdutil.Factory, id, dir string) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	var list []*client.Dashboard
	if id != "" {
		d, err := cl.FindDashboard(ctx, id)
		if err != nil {
			return err
		}
		list = []*client.Dashboard{d}
	} else if list, err = findAll(ctx, cl); err != nil {
		return err
	}
	for _, d := range list {
		path := fileName(dir, d.ID())
		if err := writeFile(path, d); err != nil {
			return err
		}
		f.Log().Info("Dashboard file is saved to '%s'(title:%s)", path, d.Title())
	}
	return nil
}

// findAll returns every dashboard in full: the list has no widgets.
func findAll(ctx context.Context, cl *client.Client) ([]*client.Dashboard, error) {
	list, err := cl.FindDashboards(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*client.Dashboard, len(list))
	for i, d := range list {
		if out[i], err = cl.FindDashboard(ctx, d.ID()); err != nil {
			return nil, err
		}
	}
	return out, nil
}
