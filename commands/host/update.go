package host

import (
	"context"
	"fmt"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type updateOptions struct {
	HostIDs        []string
	Name           string
	DisplayName    string
	Status         string
	RoleFullnames  []string
	OverwriteRoles bool
	Memo           string
	// set records which string options were given (an empty value counts).
	set map[string]bool
}

func NewCmdUpdate(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "update",
		Usage:     "Update the hosts",
		ArgsUsage: "[--name | -n <name>] [--displayName <displayName>] [--status | --st <status>] [--roleFullname | -R <service:role>] [--overwriteRoles | -o] [--memo <memo>] [<hostIds...>]",
		Description: `Update the host identified with <hostId>: name, displayName, status, roles and/or memo.
   Roles given with -R are added; with -o they replace the host's roles.
   Without <hostIds>, the local mackerel-agent's host is updated.
   Requests APIs under "/api/v0/hosts/<hostId>". See https://mackerel.io/api-docs/entry/hosts#update-information .

   Examples:
     mkr update --status maintenance 2eQGEaLxibb 2eQGEaLxibc
     mkr update -R web:app --overwriteRoles 2eQGEaLxibb`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "name", Aliases: []string{"n"}, Usage: "new host `NAME`"},
			&cli.StringFlag{Name: "displayName", Usage: "new display `NAME`"},
			&cli.StringFlag{Name: "status", Aliases: []string{"st"}, Usage: "new `STATUS` (working, standby, maintenance, poweroff)"},
			&cli.StringSliceFlag{Name: "roleFullname", Aliases: []string{"R"}, Usage: "`SERVICE:ROLE` to add (repeatable)"},
			&cli.BoolFlag{Name: "overwriteRoles", Aliases: []string{"o"}, Usage: "replace the roles with the -R list (none given removes every role)"},
			&cli.StringFlag{Name: "memo", Usage: "new `MEMO`"},
		},
		Action: func(c *cli.Context) error {
			opts := updateOptions{
				Name: c.String("name"), DisplayName: c.String("displayName"), Status: c.String("status"),
				RoleFullnames: c.StringSlice("roleFullname"), OverwriteRoles: c.Bool("overwriteRoles"),
				Memo: c.String("memo"), set: map[string]bool{},
			}
			for _, n := range []string{"name", "displayName", "memo"} {
				opts.set[n] = c.IsSet(n)
			}
			if opts.Status == "" && !opts.set["name"] && !opts.set["displayName"] && !opts.set["memo"] &&
				len(opts.RoleFullnames) == 0 && !opts.OverwriteRoles {
				return cmdutil.UsageError(c, "update needs at least one of --name, --displayName, --status, --roleFullname, --overwriteRoles, --memo")
			}
			if err := validateStatus(c, opts.Status); err != nil {
				return err
			}
			if err := validateRoleFullnames(c, opts.RoleFullnames); err != nil {
				return err
			}
			ids, err := hostIDsOrLocal(c, f)
			if err != nil {
				return err
			}
			opts.HostIDs = ids
			return runUpdate(c.Context, f, opts)
		},
	}
}

// runUpdate checks every id first, then updates each host in turn and
// stops at the first failure, as upstream does; hosts already updated stay
// updated, and the failing id is named.
func runUpdate(ctx context.Context, f *cmdutil.Factory, opts updateOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	if err := checkHostsWritable(ctx, cl, opts.HostIDs, "updated"); err != nil {
		return err
	}
	for _, id := range opts.HostIDs {
		if err := updateOne(ctx, cl, id, opts); err != nil {
			return fmt.Errorf("updating host %s: %w", id, err)
		}
		f.Log().Log("updated", "%s", id)
	}
	return nil
}

func updateOne(ctx context.Context, cl *client.Client, id string, opts updateOptions) error {
	if opts.Status != "" {
		if err := cl.UpdateHostStatus(ctx, id, opts.Status); err != nil {
			return err
		}
	}
	if opts.OverwriteRoles {
		if err := cl.UpdateHostRoleFullnames(ctx, id, opts.RoleFullnames); err != nil {
			return err
		}
	}
	addRoles := len(opts.RoleFullnames) > 0 && !opts.OverwriteRoles
	if !opts.set["name"] && !opts.set["displayName"] && !opts.set["memo"] && !addRoles {
		return nil
	}
	// PUT replaces the host's specification, so start from what it has
	// now (keeping meta and interfaces, upstream #174).
	host, err := cl.FindHost(ctx, id)
	if err != nil {
		return err
	}
	param := &client.UpdateHostParam{
		Name: host.Name, DisplayName: host.DisplayName, Memo: host.Memo,
		Meta: host.Meta, Interfaces: host.Interfaces, CustomIdentifier: host.CustomIdentifier,
	}
	if opts.set["name"] {
		param.Name = opts.Name
	}
	if opts.set["displayName"] {
		param.DisplayName = opts.DisplayName
	}
	if opts.set["memo"] {
		param.Memo = opts.Memo
	}
	if addRoles {
		param.RoleFullnames = opts.RoleFullnames
	}
	_, err = cl.UpdateHost(ctx, id, param)
	return err
}
