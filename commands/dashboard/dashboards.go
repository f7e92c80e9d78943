// Package dashboard holds `mkr dashboards` and its verbs: the list, pull,
// diff and push of custom dashboards kept as one dashboard-<id>.json file
// each (every field kept, where upstream's pull without --id wrote
// "widgets": null), and show, which draws a dashboard in the terminal.
package dashboard

import (
	"context"
	"encoding/json"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func NewCmdDashboards(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "dashboards",
		Usage:     "Manipulate custom dashboards",
		ArgsUsage: "[--jq <formula>]",
		Description: `Manipulate custom dashboards. With no subcommand, list them (JSON as the API lists them, with
   "widgets": null as upstream mkr prints it; a table on a terminal). pull, diff and push keep them as code, one dashboard-<id>.json file each;
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
	items := make([]json.RawMessage, len(list))
	for i, d := range list {
		if items[i], err = asUpstreamLists(d); err != nil {
			return err
		}
	}
	return f.Printer(opts).Print(cmdutil.Output{JSON: items, Table: func() *cmdutil.Table {
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

// asUpstreamLists is a dashboard of the list as upstream mkr prints it:
// the API's summary object with "widgets": null after its keys (upstream
// decoded it into the Go client's struct, whose widgets the list leaves
// nil), so that `mkr dashboards` prints upstream's bytes. Keys a newer
// server adds are kept.
func asUpstreamLists(d *client.Dashboard) (json.RawMessage, error) {
	raw, err := d.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		return nil, err
	}
	if _, ok := keys["widgets"]; ok {
		return raw, nil
	}
	sep := ","
	if len(keys) == 0 {
		sep = ""
	}
	end := len(raw) - 1 // the closing brace of a compact object
	return json.RawMessage(string(raw[:end]) + sep + `"widgets":null}`), nil
}
