// Package invitation is `mkr invitations`: invitations to join the
// organization.
package invitation

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func NewCmdInvitations(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:  "invitations",
		Usage: "List, create and revoke invitations to the organization",
		Description: `Manage invitations by email. mkr's backend keeps them (a week each) but sends no email and
   nobody can accept one: they are there for tools that manage the hosted service.

   Examples:
     mkr invitations list
     mkr invitations create --authority viewer alice@example.com
     mkr invitations revoke alice@example.com`,
		Subcommands: []*cli.Command{
			{
				Name:      "list",
				Usage:     "List the invitations that have not expired",
				ArgsUsage: "[--jq <formula>]",
				Description: `List the invitations that have not expired. Requests "GET /api/v0/invitations".

   Example:
     mkr invitations list --jq '.[].email'`,
				Flags: []cli.Flag{cmdutil.JQFlag(), cmdutil.OutputFlag()},
				Action: func(c *cli.Context) error {
					if c.NArg() != 0 {
						return cmdutil.UsageError(c, "invitations list takes no arguments")
					}
					return runList(c.Context, f, cmdutil.PrintOptionsFrom(c))
				},
			},
			{
				Name:      "create",
				Usage:     "Invite an email address",
				ArgsUsage: "--authority manager|collaborator|viewer <email>",
				Description: `Invite an email address with an authority, and print the invitation.
   Requests "POST /api/v0/invitations".

   Example:
     mkr invitations create --authority collaborator bob@example.com`,
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "authority", Aliases: []string{"a"}, Usage: "`AUTHORITY` to give: manager, collaborator or viewer"},
					cmdutil.JQFlag(), cmdutil.OutputFlag(),
				},
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return cmdutil.UsageError(c, "invitations create needs exactly one <email>")
					}
					a := c.String("authority")
					if !slices.Contains(client.InvitableAuthorities, a) {
						return cmdutil.UsageError(c, "--authority must be one of %s", strings.Join(client.InvitableAuthorities, ", "))
					}
					return runCreate(c.Context, f, c.Args().First(), a, cmdutil.PrintOptionsFrom(c))
				},
			},
			{
				Name:      "revoke",
				Usage:     "Revoke the invitation of an email address",
				ArgsUsage: "<email>",
				Description: `Revoke the invitation of an email address. Requests "POST /api/v0/invitations/revoke".

   Example:
     mkr invitations revoke bob@example.com`,
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return cmdutil.UsageError(c, "invitations revoke needs exactly one <email>")
					}
					return runRevoke(c.Context, f, c.Args().First())
				},
			},
		},
	}
}

func invitationsTable(invs []*client.Invitation, loc *time.Location) *cmdutil.Table {
	t := &cmdutil.Table{Header: []string{"email", "authority", "expires"}}
	for _, i := range invs {
		t.Rows = append(t.Rows, []string{i.Email, i.Authority, time.Unix(i.ExpiresAt, 0).In(loc).Format("2006-01-02 15:04")})
	}
	return t
}

func runList(ctx context.Context, f *cmdutil.Factory, opts cmdutil.PrintOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	invs, err := cl.FindInvitations(ctx)
	if err != nil {
		return err
	}
	return f.Printer(opts).Print(cmdutil.Output{JSON: invs, Table: func() *cmdutil.Table { return invitationsTable(invs, f.TimeZone()) }})
}

func runCreate(ctx context.Context, f *cmdutil.Factory, email, authority string, opts cmdutil.PrintOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	inv, err := cl.CreateInvitation(ctx, email, authority)
	if err != nil {
		return err
	}
	f.Log().Log("created", "invitation of %s (%s)", inv.Email, inv.Authority)
	return f.Printer(opts).Print(cmdutil.Output{JSON: inv, Table: func() *cmdutil.Table {
		return invitationsTable([]*client.Invitation{inv}, f.TimeZone())
	}})
}

func runRevoke(ctx context.Context, f *cmdutil.Factory, email string) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	if err := cl.RevokeInvitation(ctx, email); err != nil {
		return err
	}
	f.Log().Log("revoked", "invitation of %s", email)
	return nil
}
