// Package channel holds `mkr channels` and its verbs: list, pull, create,
// update, delete and test notification channels.
package channel

import (
	"context"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func NewCmdChannels(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "channels",
		Usage:     "List notification channels",
		ArgsUsage: "[--jq <formula>]",
		Description: `Lists notification channels. With no subcommand specified, this will show all channels
   (JSON as upstream mkr prints it; a table on a terminal). Channels of every type are listed.
   Requests APIs under "/api/v0/channels". See https://mackerel.io/api-docs/entry/channels .

   Example: mkr channels --jq '.[] | select(.type == "slack") | .id'`,
		Flags: []cli.Flag{cmdutil.JQFlag(), cmdutil.OutputFlag()},
		Action: func(c *cli.Context) error {
			return runChannels(c.Context, f, cmdutil.PrintOptionsFrom(c))
		},
		Subcommands: []*cli.Command{
			newCmdPull(f),
			newCmdCreate(f),
			newCmdUpdate(f),
			newCmdDelete(f),
			newCmdTest(f),
		},
	}
}

func runChannels(ctx context.Context, f *cmdutil.Factory, opts cmdutil.PrintOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	channels, err := cl.FindChannels(ctx)
	if err != nil {
		return err
	}
	return f.Printer(opts).Print(cmdutil.Output{JSON: channels, Table: func() *cmdutil.Table {
		t := &cmdutil.Table{Header: []string{"id", "type", "name", "destination", "events", "suspended"}}
		for _, ch := range channels {
			suspended := ""
			if at := ch.SuspendedAt(); at != nil {
				suspended = cmdutil.ISO8601(time.Unix(*at, 0).In(f.TimeZone()))
			}
			t.Rows = append(t.Rows, []string{ch.ID(), ch.Type(), ch.Name(), destination(ch),
				strings.Join(ch.Strings("events"), ","), suspended})
		}
		return t
	}})
}

// destination is where a channel sends, for the table: the URL, or the
// addresses and user ids of an email channel.
func destination(ch *client.Channel) string {
	if u := ch.String("url"); u != "" {
		return u
	}
	return strings.Join(append(ch.Strings("emails"), ch.Strings("userIds")...), ",")
}
