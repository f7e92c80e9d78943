// Package user is `mkr users`: the members of the organization.
package user

import (
	"context"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type usersOptions struct {
	Verbose bool
	Print   cmdutil.PrintOptions
}

func NewCmdUsers(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "users",
		Usage:     "List users",
		ArgsUsage: "[--verbose | -v] [--format | -f <template>] [--jq <formula>]",
		Description: `List the members of the organization. Requests "GET /api/v0/users".
   See https://mackerel.io/api-docs/entry/users#list . The default view shows joinedAt as an ISO 8601
   time; -v prints the API's objects as upstream mkr does (joinedAt in epoch seconds, false and empty
   values left out). mkr's backend has one user from the start, the owner.

   Examples:
     mkr users
     mkr users --jq '.[] | select(.authority == "owner") | .email'
     mkr users -f '{{range .}}{{.ScreenName}} {{.Authority}}{{"\n"}}{{end}}'`,
		Flags: []cli.Flag{
			cmdutil.FormatFlag(),
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "print the full user objects"},
			cmdutil.JQFlag(),
			cmdutil.OutputFlag(),
		},
		Action: func(c *cli.Context) error {
			return runUsers(c.Context, f, usersOptions{Verbose: c.Bool("verbose"), Print: cmdutil.PrintOptionsFrom(c)})
		},
	}
}

// userView is upstream's default view of a user: every key, joinedAt as
// local ISO 8601, authenticationMethods left out when empty.
type userView struct {
	ID                      string   `json:"id"`
	ScreenName              string   `json:"screenName"`
	Email                   string   `json:"email"`
	Authority               string   `json:"authority"`
	IsInRegistrationProcess bool     `json:"isInRegistrationProcess"`
	IsMFAEnabled            bool     `json:"isMFAEnabled"`
	AuthenticationMethods   []string `json:"authenticationMethods,omitempty"`
	JoinedAt                string   `json:"joinedAt"`
}

func runUsers(ctx context.Context, f *cmdutil.Factory, opts usersOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	users, err := cl.FindUsers(ctx)
	if err != nil {
		return err
	}
	loc := f.TimeZone()
	out := cmdutil.Output{Template: users}
	if opts.Verbose {
		out.JSON = users
	} else {
		views := make([]userView, len(users))
		for i, u := range users {
			views[i] = userView{u.ID, u.ScreenName, u.Email, u.Authority, u.IsInRegistrationProcess, u.IsMFAEnabled,
				u.AuthenticationMethods, cmdutil.ISO8601(time.Unix(u.JoinedAt, 0).In(loc))}
		}
		out.JSON = views
		out.Table = func() *cmdutil.Table { return usersTable(users, loc) }
	}
	return f.Printer(opts.Print).Print(out)
}

func usersTable(users []*client.User, loc *time.Location) *cmdutil.Table {
	t := &cmdutil.Table{Header: []string{"id", "screen name", "email", "authority", "login", "joined"}}
	for _, u := range users {
		t.Rows = append(t.Rows, []string{u.ID, u.ScreenName, u.Email, u.Authority, strings.Join(u.AuthenticationMethods, ","),
			time.Unix(u.JoinedAt, 0).In(loc).Format("2006-01-02 15:04")})
	}
	return t
}
