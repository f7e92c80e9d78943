package graphdef

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func newCmdGraphDefsList(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "list",
		Usage:     "List custom graph definitions",
		ArgsUsage: "[--jq <formula>]",
		Description: `List the custom graph definitions as a JSON array that "graph-defs create -F" takes back.
   Requests "GET /api/v0/graph-defs", which only mkr's backend has: the hosted API shows definitions
   in its web UI only.

   Examples:
     mkr graph-defs list
     mkr graph-defs list --jq '.[].name'
     mkr graph-defs list > defs.json && mkr graph-defs create -F defs.json --db other.db`,
		Flags: []cli.Flag{cmdutil.JQFlag(), cmdutil.OutputFlag()},
		Action: func(c *cli.Context) error {
			if c.NArg() != 0 {
				return cmdutil.UsageError(c, "graph-defs list takes no arguments")
			}
			return runGraphDefsList(c.Context, f, cmdutil.PrintOptionsFrom(c))
		},
	}
}

func runGraphDefsList(ctx context.Context, f *cmdutil.Factory, opts cmdutil.PrintOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	defs, err := cl.ListGraphDefs(ctx)
	var ae *client.APIError
	if errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound {
		return fmt.Errorf("this server cannot list graph definitions (GET /api/v0/graph-defs is mkr's backend's, not the hosted API's): %w", err)
	} else if err != nil {
		return err
	}
	return f.Printer(opts).Print(cmdutil.Output{JSON: defs, Table: func() *cmdutil.Table {
		t := &cmdutil.Table{Header: []string{"name", "display name", "unit", "metrics"}}
		for _, d := range defs {
			names := make([]string, len(d.Metrics))
			for i, m := range d.Metrics {
				names[i] = m.Name
			}
			t.Rows = append(t.Rows, []string{d.Name, d.DisplayName, d.Unit, strings.Join(names, ",")})
		}
		return t
	}})
}
