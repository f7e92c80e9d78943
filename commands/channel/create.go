package channel

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type editOptions struct {
	ID      string
	Channel *client.Channel // create: the whole definition
	Edits   edits           // update
	Print   cmdutil.PrintOptions
}

func newCmdCreate(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "create",
		Usage:     "Create a notification channel",
		ArgsUsage: "--type email|slack|webhook --name <name> [--url <url>] [--email <address>...] [--user-id <id>...] [--mention-ok|--mention-warning|--mention-critical <text>] [--event <event>...] [--enable-graph-image] [--add-to-default-group]",
		Description: `Create an email, Slack or webhook channel and print it as JSON (so --jq .id works).
   Without --event the server's default applies (alerts only).
   Requests "POST /api/v0/channels".

   Examples:
     mkr channels create --type webhook --name ops-hook --url https://example.com/hook --event alert --event hostStatus
     mkr channels create --type slack --name ops --url https://hooks.slack.com/services/T/B/X \
       --mention-critical '<!here>' --enable-graph-image --add-to-default-group
     mkr channels create --type email --name oncall --email oncall@example.com`,
		Flags: editFlags(false),
		Action: func(c *cli.Context) error {
			t := c.String("type")
			if t == "" {
				return cmdutil.UsageError(c, "--type is required: %s", strings.Join(client.ChannelTypesEditable, ", "))
			}
			if !slices.Contains(client.ChannelTypesEditable, t) {
				return cmdutil.UsageError(c, "--type must be one of %s, not %q", strings.Join(client.ChannelTypesEditable, ", "), t)
			}
			if c.String("name") == "" {
				return cmdutil.UsageError(c, "--name is required")
			}
			e := parseEdits(c)
			if err := e.checkType(t); err != nil {
				return cmdutil.UsageError(c, "%s", err)
			}
			ch := client.NewChannel(t, "")
			if err := e.apply(ch); err != nil {
				return cmdutil.UsageError(c, "%s", err)
			}
			if c.Bool("add-to-default-group") {
				_ = ch.Set("addToDefaultNotificationGroup", true)
			}
			return runCreate(c.Context, f, editOptions{Channel: ch, Print: cmdutil.PrintOptionsFrom(c)})
		},
	}
}

func runCreate(ctx context.Context, f *cmdutil.Factory, opts editOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	created, err := cl.CreateChannel(ctx, opts.Channel)
	if err != nil {
		return err
	}
	return f.Printer(opts.Print).Print(cmdutil.Output{JSON: created})
}

func newCmdUpdate(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "update",
		Usage:     "Update a notification channel",
		ArgsUsage: "<id> [the flags of create but --type and --add-to-default-group]",
		Description: `Change what the flags say and keep the rest: the channel is read, changed and written back
   whole (the API replaces a channel on update; its type cannot change). A list flag (--email,
   --user-id, --event) replaces that list, "" empties it; a mention flag with "" removes that mention.
   An update also lifts a suspension. Prints the channel as JSON.
   Requests "GET /api/v0/channels" and "PUT /api/v0/channels/<id>".

   Example:
     mkr channels update 2nckL8bKy6E --url https://example.com/new-hook --event alert`,
		Flags: editFlags(true),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return cmdutil.UsageError(c, "update takes exactly one channel id")
			}
			e := parseEdits(c)
			if len(e.given) == 0 {
				return cmdutil.UsageError(c, "nothing to change: give at least one of the flags")
			}
			return runUpdate(c.Context, f, editOptions{ID: c.Args().First(), Edits: e, Print: cmdutil.PrintOptionsFrom(c)})
		},
	}
}

func runUpdate(ctx context.Context, f *cmdutil.Factory, opts editOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	// The API has no GET of one channel: find it in the list.
	list, err := cl.FindChannels(ctx)
	if err != nil {
		return err
	}
	var ch *client.Channel
	for _, x := range list {
		if x.ID() == opts.ID {
			ch = x.Clone()
		}
	}
	if ch == nil {
		return fmt.Errorf("no channel has the id %q", opts.ID)
	}
	if err := opts.Edits.checkType(ch.Type()); err != nil {
		return cmdutil.FlagErrorf("%s", err)
	}
	if err := opts.Edits.apply(ch); err != nil {
		return err
	}
	// What the server decides is not part of the definition sent back.
	ch.Delete("id")
	ch.Delete("suspendedAt")
	updated, err := cl.UpdateChannel(ctx, opts.ID, ch)
	if err != nil {
		return err
	}
	return f.Printer(opts.Print).Print(cmdutil.Output{JSON: updated})
}
