package graphdef

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func NewCmdGraphDefs(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:  "graph-defs",
		Usage: "List, create and delete custom graph definitions",
		Description: `Manage the definitions of custom metric graphs.
   See https://mackerel.io/api-docs/entry/host-metrics#post-graphdef .

   Example:
     mkr graph-defs create -F graph-defs.json`,
		Subcommands: []*cli.Command{
			newCmdGraphDefsList(f),
			{
				Name:      "create",
				Usage:     "Create or update graph definitions from a JSON file",
				ArgsUsage: "--file-path | -F <file>",
				Description: `Create or update the graph definitions in a JSON file: one definition object or an array of them,
   each {"name": "custom.x", "displayName"?, "unit"?, "metrics": [{"name": "custom.x.y", "displayName"?, "isStacked": false}]}.
   Requests "POST /api/v0/graph-defs/create".

   Example:
     mkr graph-defs create --file-path graph-defs.json`,
				Flags: []cli.Flag{&cli.StringFlag{Name: "file-path", Aliases: []string{"F"}, Usage: "definitions `FILE` (- for stdin)", TakesFile: true}},
				Action: func(c *cli.Context) error {
					path := c.String("file-path")
					if path == "" {
						return cmdutil.UsageError(c, "--file-path is required")
					}
					defs, err := readGraphDefs(f, path)
					if err != nil {
						return cmdutil.UsageError(c, "%s", err)
					}
					return runGraphDefsCreate(c.Context, f, defs)
				},
			},
			{
				Name:      "delete",
				Usage:     "Delete a graph definition",
				ArgsUsage: "[--service | -s <service>] <graphName>",
				Description: `Delete a custom graph definition (DELETE /api/v0/graph-defs), or with --service the service
   metrics of a graph (DELETE /api/v0/services/<service>/graph-defs/<graphName>).

   Examples:
     mkr graph-defs delete custom.queue
     mkr graph-defs delete --service web --force custom.queue`,
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "service", Aliases: []string{"s"}, Usage: "delete the graph of `SERVICE`"},
					&cli.BoolFlag{Name: "force", Usage: "delete a service's metrics (--service) without confirmation"},
				},
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return cmdutil.UsageError(c, "graph-defs delete needs exactly one <graphName>")
					}
					return runGraphDefsDelete(c.Context, f, c.String("service"), c.Args().First(), c.Bool("force"))
				},
			},
		},
	}
}

// readGraphDefs accepts a single definition or an array of them.
func readGraphDefs(f *cmdutil.Factory, path string) ([]client.GraphDefsParam, error) {
	var data []byte
	var err error
	if path == "-" {
		var buf bytes.Buffer
		_, err = buf.ReadFrom(f.IO.In)
		data = buf.Bytes()
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(bytes.TrimSpace(data), []byte("\xef\xbb\xbf"))
	var defs []client.GraphDefsParam
	if bytes.HasPrefix(data, []byte("[")) {
		err = json.Unmarshal(data, &defs)
	} else {
		var one client.GraphDefsParam
		err = json.Unmarshal(data, &one)
		defs = []client.GraphDefsParam{one}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: not a graph definition JSON: %w", path, err)
	}
	return defs, nil
}

func runGraphDefsCreate(ctx context.Context, f *cmdutil.Factory, defs []client.GraphDefsParam) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	if err := cl.CreateGraphDefs(ctx, defs); err != nil {
		return err
	}
	for _, d := range defs {
		f.Log().Log("created", "graph definition %s", d.Name)
	}
	return nil
}

func runGraphDefsDelete(ctx context.Context, f *cmdutil.Factory, service, name string, force bool) error {
	if service != "" {
		// With --service the stored metric values go too, for good; a
		// plain definition can simply be created again, so it is not asked.
		question := "Delete the metrics of graph " + name + " of service " + service + " (their data cannot be restored). Are you sure?"
		if err := cmdutil.ConfirmDestructive(f, force, question); err != nil {
			return err
		}
	}
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	if service != "" {
		err = cl.DeleteServiceGraphDef(ctx, service, name)
	} else {
		err = cl.DeleteGraphDef(ctx, name)
	}
	if err != nil {
		return err
	}
	f.Log().Log("deleted", "graph definition %s", name)
	return nil
}
