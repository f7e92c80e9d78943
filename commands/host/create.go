package host

import (
	"context"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type createOptions struct {
	Name             string
	Status           string
	RoleFullnames    []string
	CustomIdentifier string
	Memo             string
}

func NewCmdCreate(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "create",
		Usage:     "Create a new host",
		ArgsUsage: "[--status | --st <status>] [--roleFullname | -R <service:role>] [--customIdentifier <customIdentifier>] [--memo <memo>] <hostName>",
		Description: `Create a new host with status, roleFullname, customIdentifier and/or memo.
   The new host's id is printed on stdout.
   Requests "POST /api/v0/hosts". See https://mackerel.io/api-docs/entry/hosts#create .

   Example:
     mkr create --status standby -R web:app web-01`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "status", Aliases: []string{"st"}, Usage: "host `STATUS` (working, standby, maintenance, poweroff)"},
			&cli.StringSliceFlag{Name: "roleFullname", Aliases: []string{"R"}, Usage: "`SERVICE:ROLE` (repeatable)"},
			&cli.StringFlag{Name: "customIdentifier", Usage: "custom `IDENTIFIER`, unique in the organization"},
			&cli.StringFlag{Name: "memo", Usage: "`MEMO` of the host"},
		},
		Action: func(c *cli.Context) error {
			opts := createOptions{
				Status: c.String("status"), RoleFullnames: c.StringSlice("roleFullname"),
				CustomIdentifier: c.String("customIdentifier"), Memo: c.String("memo"),
			}
			if c.NArg() != 1 {
				return cmdutil.UsageError(c, "create needs exactly one <hostName>")
			}
			opts.Name = c.Args().First()
			if err := validateStatus(c, opts.Status); err != nil {
				return err
			}
			if err := validateRoleFullnames(c, opts.RoleFullnames); err != nil {
				return err
			}
			return runCreate(c.Context, f, opts)
		},
	}
}

// validateStatus rejects an unknown status before anything is written, so
// `create --status typo` does not leave a half-configured host behind.
func validateStatus(c *cli.Context, status string) error {
	if status != "" && !client.ValidHostStatus(status) {
		return cmdutil.UsageError(c, "invalid status %q: must be one of working, standby, maintenance, poweroff", status)
	}
	return nil
}

func validateRoleFullnames(c *cli.Context, names []string) error {
	for _, n := range names {
		if svc, role, ok := client.SplitRoleFullname(n); !ok || svc == "" || role == "" {
			return cmdutil.UsageError(c, "invalid roleFullname %q: expected <service>:<role>", n)
		}
	}
	return nil
}

func runCreate(ctx context.Context, f *cmdutil.Factory, opts createOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	id, err := cl.CreateHost(ctx, &client.CreateHostParam{
		Name: opts.Name, Memo: opts.Memo, RoleFullnames: opts.RoleFullnames, CustomIdentifier: opts.CustomIdentifier,
	})
	if err != nil {
		return err
	}
	log := f.Log()
	log.Log("created", "%s", id)
	if opts.Status != "" {
		if err := cl.UpdateHostStatus(ctx, id, opts.Status); err != nil {
			return err
		}
		log.Log("updated", "%s %s", id, opts.Status)
	}
	return f.Printer(cmdutil.PrintOptions{}).PrintText("%s\n", id)
}
