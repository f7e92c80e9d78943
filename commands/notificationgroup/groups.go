// Package notificationgroup holds `mkr notification-groups` and its pull,
// diff and push verbs: notification groups kept in a
// notification-groups.json file, in the as-code style of monitors.
package notificationgroup

import (
	"context"
	"strings"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/ascode"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func NewCmdNotificationGroups(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "notification-groups",
		Usage:     "Manipulate notification groups",
		ArgsUsage: "[--jq <formula>]",
		Description: `Manipulate notification groups: which channels hear about which alerts. With no subcommand,
   show every group (JSON, a table on a terminal). pull, diff and push keep them in a file as
   monitors pull, diff and push do.
   Requests APIs under "/api/v0/notification-groups". See https://mackerel.io/api-docs/entry/notification-groups .

   Example: mkr notification-groups --jq '.[] | select(.type == "group-default") | .childChannelIds'`,
		Flags: []cli.Flag{cmdutil.JQFlag(), cmdutil.OutputFlag()},
		Action: func(c *cli.Context) error {
			return runGroups(c.Context, f, cmdutil.PrintOptionsFrom(c))
		},
		Subcommands: groups.Commands(f, ascode.Verbs[*client.NotificationGroup]{
			Command: "notification-groups", DefaultFile: defaultFile, APIPath: "/api/v0/notification-groups",
			DiffNote: `The default group is matched as the default; "type" never counts as a change.`,
			PushNote: "the default group only ever updated",
			Writes:   writes,
		}),
	}
}

func runGroups(ctx context.Context, f *cmdutil.Factory, opts cmdutil.PrintOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	groups, err := cl.FindNotificationGroups(ctx)
	if err != nil {
		return err
	}
	return f.Printer(opts).Print(cmdutil.Output{JSON: groups, Table: func() *cmdutil.Table {
		t := &cmdutil.Table{Header: []string{"id", "name", "level", "channels", "groups", "monitors", "services"}}
		for _, g := range groups {
			name := g.Name()
			if g.IsDefault() {
				name += " (default)"
			}
			t.Rows = append(t.Rows, []string{g.ID(), name, g.String("notificationLevel"),
				strings.Join(g.Strings("childChannelIds"), ","), strings.Join(g.Strings("childNotificationGroupIds"), ","),
				strings.Join(g.MonitorIDs(), ","), strings.Join(g.ServiceNames(), ",")})
		}
		return t
	}})
}
