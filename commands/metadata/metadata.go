package metadata

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type metadataOptions struct {
	Target    client.MetadataTarget
	Namespace string
	Value     json.RawMessage
	Force     bool
	Print     cmdutil.PrintOptions
}

func metadataTargetFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "host", Aliases: []string{"H"}, Usage: "metadata of the host `HOSTID`"},
		&cli.StringFlag{Name: "service", Aliases: []string{"s"}, Usage: "metadata of `SERVICE` (or of its role with --role)"},
		&cli.StringFlag{Name: "role", Aliases: []string{"r"}, Usage: "metadata of `ROLE` of --service"},
		cmdutil.JQFlag(),
		cmdutil.OutputFlag(),
	}
}

// parseMetadataTarget reads --host / --service / --role: exactly one owner.
func parseMetadataTarget(c *cli.Context) (client.MetadataTarget, error) {
	t := client.MetadataTarget{HostID: c.String("host"), Service: c.String("service"), Role: c.String("role")}
	switch {
	case t.HostID != "" && (t.Service != "" || t.Role != ""):
		return t, cmdutil.UsageError(c, "--host cannot be combined with --service or --role")
	case t.Role != "" && t.Service == "":
		return t, cmdutil.UsageError(c, "--role needs --service")
	case t.HostID == "" && t.Service == "":
		return t, cmdutil.UsageError(c, "one of --host or --service is required")
	}
	return t, nil
}

func NewCmdMetadata(f *cmdutil.Factory) *cli.Command {
	// parse builds the options common to every subcommand; nsArgs is how
	// many positional arguments (namespace, value) the subcommand takes.
	parse := func(c *cli.Context, minArgs, maxArgs int) (metadataOptions, error) {
		t, err := parseMetadataTarget(c)
		if err != nil {
			return metadataOptions{}, err
		}
		if c.NArg() < minArgs || c.NArg() > maxArgs {
			return metadataOptions{}, cmdutil.UsageError(c, "wrong number of arguments")
		}
		opts := metadataOptions{Target: t, Namespace: c.Args().First(), Print: cmdutil.PrintOptionsFrom(c)}
		return opts, nil
	}
	return &cli.Command{
		Name:  "metadata",
		Usage: "Get, put, delete and list metadata of hosts, services and roles",
		Description: `Manage metadata: any JSON value stored under a namespace of a host, a service or a role.
   See https://mackerel.io/api-docs/entry/metadata .

   Example:
     mkr metadata get --host 2eQGEaLxibb inventory`,
		Subcommands: []*cli.Command{
			{
				Name:      "list",
				Usage:     "List metadata namespaces",
				ArgsUsage: "(--host <hostId> | --service <service> [--role <role>])",
				Description: `List the metadata namespaces. Requests "GET …/metadata".

   Example:
     mkr metadata list --service web`,
				Flags: metadataTargetFlags(),
				Action: func(c *cli.Context) error {
					opts, err := parse(c, 0, 0)
					if err != nil {
						return err
					}
					return runMetadataList(c.Context, f, opts)
				},
			},
			{
				Name:      "get",
				Usage:     "Print a namespace's metadata",
				ArgsUsage: "(--host <hostId> | --service <service> [--role <role>]) <namespace>",
				Description: `Print the JSON stored under <namespace>. Requests "GET …/metadata/<namespace>".

   Example:
     mkr metadata get --service web --role app deploy`,
				Flags: metadataTargetFlags(),
				Action: func(c *cli.Context) error {
					opts, err := parse(c, 1, 1)
					if err != nil {
						return err
					}
					return runMetadataGet(c.Context, f, opts)
				},
			},
			{
				Name:      "put",
				Usage:     "Store metadata under a namespace",
				ArgsUsage: "(--host <hostId> | --service <service> [--role <role>]) <namespace> [<json> | --file <file> | -]",
				Description: `Store a JSON value (at most 100 KB) under <namespace>, read from the argument, from --file,
   or from stdin ("-" or no value). Requests "PUT …/metadata/<namespace>".

   Examples:
     mkr metadata put --host 2eQGEaLxibb inventory '{"rack": "a1"}'
     mkr metadata put --service web deploy --file deploy.json`,
				Flags: append(metadataTargetFlags(),
					&cli.StringFlag{Name: "file", Aliases: []string{"F"}, Usage: "read the JSON from `FILE`", TakesFile: true}),
				Action: func(c *cli.Context) error {
					opts, err := parse(c, 1, 2)
					if err != nil {
						return err
					}
					if opts.Value, err = readMetadataValue(f, c.Args().Get(1), c.String("file")); err != nil {
						return cmdutil.UsageError(c, "%s", err)
					}
					return runMetadataPut(c.Context, f, opts)
				},
			},
			{
				Name:      "delete",
				Usage:     "Delete a namespace's metadata",
				ArgsUsage: "(--host <hostId> | --service <service> [--role <role>]) [--force] <namespace>",
				Description: `Delete the metadata under <namespace>. Asks for confirmation; without a terminal it
   refuses unless --force is given. Requests "DELETE …/metadata/<namespace>".

   Example:
     mkr metadata delete --host 2eQGEaLxibb --force inventory`,
				Flags: append(metadataTargetFlags(), &cli.BoolFlag{Name: "force", Usage: "delete without confirmation"}),
				Action: func(c *cli.Context) error {
					opts, err := parse(c, 1, 1)
					if err != nil {
						return err
					}
					opts.Force = c.Bool("force")
					return runMetadataDelete(c.Context, f, opts)
				},
			},
		},
	}
}

// readMetadataValue takes the value from the argument, a file, or stdin, and
// checks it is JSON before anything is sent.
func readMetadataValue(f *cmdutil.Factory, arg, file string) (json.RawMessage, error) {
	var data []byte
	var err error
	switch {
	case arg != "" && file != "":
		return nil, fmt.Errorf("give the value either as an argument or with --file, not both")
	case file != "":
		data, err = os.ReadFile(file)
	case arg != "" && arg != "-":
		data = []byte(arg)
	default:
		data, err = io.ReadAll(f.IO.In)
	}
	if err != nil {
		return nil, err
	}
	data = []byte(strings.TrimSpace(string(data)))
	if !json.Valid(data) {
		return nil, fmt.Errorf("the metadata value is not valid JSON")
	}
	return data, nil
}

func runMetadataList(ctx context.Context, f *cmdutil.Factory, opts metadataOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	names, err := cl.ListMetadataNamespaces(ctx, opts.Target)
	if err != nil {
		return err
	}
	return f.Printer(opts.Print).Print(cmdutil.Output{JSON: names, Table: func() *cmdutil.Table {
		t := &cmdutil.Table{Header: []string{"namespace"}}
		for _, n := range names {
			t.Rows = append(t.Rows, []string{n})
		}
		return t
	}})
}

func runMetadataGet(ctx context.Context, f *cmdutil.Factory, opts metadataOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	md, err := cl.GetMetadata(ctx, opts.Target, opts.Namespace)
	if err != nil {
		return err
	}
	return f.Printer(opts.Print).Print(cmdutil.Output{JSON: md.Value})
}

func runMetadataPut(ctx context.Context, f *cmdutil.Factory, opts metadataOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	if err := cl.PutMetadata(ctx, opts.Target, opts.Namespace, opts.Value); err != nil {
		return err
	}
	f.Log().Log("updated", "metadata %s", opts.Namespace)
	return nil
}

func runMetadataDelete(ctx context.Context, f *cmdutil.Factory, opts metadataOptions) error {
	if err := cmdutil.ConfirmDestructive(f, opts.Force, "Delete metadata "+opts.Namespace+". Are you sure?"); err != nil {
		return err
	}
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	if err := cl.DeleteMetadata(ctx, opts.Target, opts.Namespace); err != nil {
		return err
	}
	f.Log().Log("deleted", "metadata %s", opts.Namespace)
	return nil
}
