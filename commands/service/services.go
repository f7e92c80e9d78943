package service

import (
	"context"
	"strings"

	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func NewCmdServices(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "services",
		Usage:     "List services",
		ArgsUsage: "[--jq <formula>]",
		Description: `List the information of the services.
   Requests "GET /api/v0/services". See https://mackerel.io/api-docs/entry/services#list .

   Example:
     mkr services --jq '.[].name'`,
		Flags: []cli.Flag{cmdutil.JQFlag(), cmdutil.OutputFlag()},
		Action: func(c *cli.Context) error {
			opts := cmdutil.PrintOptionsFrom(c)
			return runServices(c.Context, f, opts)
		},
		Subcommands: []*cli.Command{
			{
				Name:      "create",
				Usage:     "Create a service",
				ArgsUsage: "[--memo <memo>] <serviceName>",
				Description: `Create a service. Requests "POST /api/v0/services".

   Example:
     mkr services create --memo "the shop's frontend" web`,
				Flags: []cli.Flag{&cli.StringFlag{Name: "memo", Usage: "`MEMO` of the service"}, cmdutil.JQFlag(), cmdutil.OutputFlag()},
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return cmdutil.UsageError(c, "services create needs exactly one <serviceName>")
					}
					return runServiceCreate(c.Context, f, c.Args().First(), c.String("memo"), cmdutil.PrintOptionsFrom(c))
				},
			},
			{
				Name:      "delete",
				Usage:     "Delete a service",
				ArgsUsage: "[--force] <serviceName>",
				Description: `Delete a service with its roles, metrics, monitors and annotations. Asks for confirmation;
   without a terminal it refuses unless --force is given. Requests "DELETE /api/v0/services/<serviceName>".

   Examples:
     mkr services delete web
     mkr services delete --force web`,
				Flags: []cli.Flag{&cli.BoolFlag{Name: "force", Usage: "delete without confirmation"}, cmdutil.JQFlag(), cmdutil.OutputFlag()},
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return cmdutil.UsageError(c, "services delete needs exactly one <serviceName>")
					}
					return runServiceDelete(c.Context, f, c.Args().First(), c.Bool("force"), cmdutil.PrintOptionsFrom(c))
				},
			},
		},
	}
}

func runServices(ctx context.Context, f *cmdutil.Factory, opts cmdutil.PrintOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	svcs, err := cl.FindServices(ctx)
	if err != nil {
		return err
	}
	return f.Printer(opts).Print(cmdutil.Output{JSON: svcs, Table: func() *cmdutil.Table {
		t := &cmdutil.Table{Header: []string{"name", "roles", "memo"}}
		for _, s := range svcs {
			t.Rows = append(t.Rows, []string{s.Name, strings.Join(s.Roles, ","), s.Memo})
		}
		return t
	}})
}

func runServiceCreate(ctx context.Context, f *cmdutil.Factory, name, memo string, opts cmdutil.PrintOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	svc, err := cl.CreateService(ctx, name, memo)
	if err != nil {
		return err
	}
	f.Log().Log("created", "service %s", svc.Name)
	return f.Printer(opts).Print(cmdutil.Output{JSON: svc})
}

func runServiceDelete(ctx context.Context, f *cmdutil.Factory, name string, force bool, opts cmdutil.PrintOptions) error {
	if err := cmdutil.ConfirmDestructive(f, force, "Delete service "+name+" with its roles, metrics, monitors and annotations. Are you sure?"); err != nil {
		return err
	}
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	svc, err := cl.DeleteService(ctx, name)
	if err != nil {
		return err
	}
	f.Log().Log("deleted", "service %s", svc.Name)
	return f.Printer(opts).Print(cmdutil.Output{JSON: svc})
}
