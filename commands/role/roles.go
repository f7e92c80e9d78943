package role

import (
	"context"

	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type roleOptions struct {
	Service string
	Name    string
	Memo    string
	Force   bool
	Print   cmdutil.PrintOptions
}

// serviceFlag is --service. It is checked by hand rather than marked
// Required, because urfave would then demand it of the parent command too.
func serviceFlag() cli.Flag {
	return &cli.StringFlag{Name: "service", Aliases: []string{"s"}, Usage: "`SERVICE` name (required)"}
}

func requireService(c *cli.Context) error {
	if c.String("service") == "" {
		return cmdutil.UsageError(c, "--service is required")
	}
	return nil
}

func NewCmdRoles(f *cmdutil.Factory) *cli.Command {
	list := func(c *cli.Context) error {
		if err := requireService(c); err != nil {
			return err
		}
		opts := roleOptions{Service: c.String("service"), Print: cmdutil.PrintOptionsFrom(c)}
		return runRolesList(c.Context, f, opts)
	}
	return &cli.Command{
		Name:      "roles",
		Usage:     "List, create and delete roles of a service",
		ArgsUsage: "--service <service>",
		Description: `List the roles of a service. Requests "GET /api/v0/services/<service>/roles".

   Example:
     mkr roles --service web`,
		Flags:  []cli.Flag{serviceFlag(), cmdutil.JQFlag(), cmdutil.OutputFlag()},
		Action: list,
		Subcommands: []*cli.Command{
			{
				Name:      "list",
				Usage:     "List roles of a service",
				ArgsUsage: "--service <service>",
				Description: `List the roles of a service. Requests "GET /api/v0/services/<service>/roles".

   Example:
     mkr roles list --service web --jq '.[].name'`,
				Flags:  []cli.Flag{serviceFlag(), cmdutil.JQFlag(), cmdutil.OutputFlag()},
				Action: list,
			},
			{
				Name:      "create",
				Usage:     "Create a role",
				ArgsUsage: "--service <service> [--memo <memo>] <roleName>",
				Description: `Create a role in a service. Requests "POST /api/v0/services/<service>/roles".

   Example:
     mkr roles create --service web --memo "application servers" app`,
				Flags: []cli.Flag{serviceFlag(), &cli.StringFlag{Name: "memo", Usage: "`MEMO` of the role"}, cmdutil.JQFlag(), cmdutil.OutputFlag()},
				Action: func(c *cli.Context) error {
					if err := requireService(c); err != nil {
						return err
					}
					if c.NArg() != 1 {
						return cmdutil.UsageError(c, "roles create needs exactly one <roleName>")
					}
					opts := roleOptions{Service: c.String("service"), Name: c.Args().First(), Memo: c.String("memo"), Print: cmdutil.PrintOptionsFrom(c)}
					return runRoleCreate(c.Context, f, opts)
				},
			},
			{
				Name:      "delete",
				Usage:     "Delete a role",
				ArgsUsage: "--service <service> [--force] <roleName>",
				Description: `Delete a role of a service. Asks for confirmation; without a terminal it refuses
   unless --force is given. Requests "DELETE /api/v0/services/<service>/roles/<roleName>".

   Example:
     mkr roles delete --service web --force app`,
				Flags: []cli.Flag{serviceFlag(), &cli.BoolFlag{Name: "force", Usage: "delete without confirmation"}, cmdutil.JQFlag(), cmdutil.OutputFlag()},
				Action: func(c *cli.Context) error {
					if err := requireService(c); err != nil {
						return err
					}
					if c.NArg() != 1 {
						return cmdutil.UsageError(c, "roles delete needs exactly one <roleName>")
					}
					opts := roleOptions{Service: c.String("service"), Name: c.Args().First(), Force: c.Bool("force"), Print: cmdutil.PrintOptionsFrom(c)}
					return runRoleDelete(c.Context, f, opts)
				},
			},
		},
	}
}

func runRolesList(ctx context.Context, f *cmdutil.Factory, opts roleOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	roles, err := cl.FindRoles(ctx, opts.Service)
	if err != nil {
		return err
	}
	return f.Printer(opts.Print).Print(cmdutil.Output{JSON: roles, Table: func() *cmdutil.Table {
		t := &cmdutil.Table{Header: []string{"name", "memo"}}
		for _, r := range roles {
			t.Rows = append(t.Rows, []string{r.Name, r.Memo})
		}
		return t
	}})
}

func runRoleCreate(ctx context.Context, f *cmdutil.Factory, opts roleOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	role, err := cl.CreateRole(ctx, opts.Service, opts.Name, opts.Memo)
	if err != nil {
		return err
	}
	f.Log().Log("created", "role %s:%s", opts.Service, role.Name)
	return f.Printer(opts.Print).Print(cmdutil.Output{JSON: role})
}

func runRoleDelete(ctx context.Context, f *cmdutil.Factory, opts roleOptions) error {
	if err := cmdutil.ConfirmDestructive(f, opts.Force, "Delete role "+opts.Service+":"+opts.Name+". Are you sure?"); err != nil {
		return err
	}
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	role, err := cl.DeleteRole(ctx, opts.Service, opts.Name)
	if err != nil {
		return err
	}
	f.Log().Log("deleted", "role %s:%s", opts.Service, role.Name)
	return f.Printer(opts.Print).Print(cmdutil.Output{JSON: role})
}
