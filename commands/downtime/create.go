package downtime

import (
	"context"
	"fmt"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type editOptions struct {
	ID       string
	Edits    edits
	Downtime client.Downtime // create: the whole definition
	Print    cmdutil.PrintOptions
}

func newCmdCreate(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "create",
		Usage:     "Create a downtime",
		ArgsUsage: "--name <name> --duration <duration> [--start <time>] [--recurrence-type <type> [--recurrence-interval <n>] [--weekday <day>...] [--until <time>]] [--<service|role|monitor>[-exclude]-scope <value>...] [--memo <note>]",
		Description: `Create a downtime and print it as JSON (so --jq .id works). Scopes of different kinds
   must all match (services and roles together count as one kind); exclusions always win.
   Requests "POST /api/v0/downtimes".

   Examples:
     mkr downtimes create --name deploy --start now+1h --duration 30m --service-scope web
     mkr downtimes create --name backups --start "2026-12-07 02:00" --duration 2h \
       --recurrence-type weekly --weekday Monday --weekday Thursday --role-scope "db: primary"`,
		Flags: editFlags(false),
		Action: func(c *cli.Context) error {
			e, err := parseEdits(c, f)
			if err != nil {
				return err
			}
			if e.Name == nil || *e.Name == "" {
				return cmdutil.UsageError(c, "`name` is a required field to create a downtime.")
			}
			if e.Duration == nil {
				return cmdutil.UsageError(c, "`duration` is a required field to create a downtime.")
			}
			opts := editOptions{Downtime: client.Downtime{Start: f.Now().Unix()}, Print: cmdutil.PrintOptionsFrom(c)}
			if err := e.apply(&opts.Downtime); err != nil {
				return cmdutil.UsageError(c, "%s", err)
			}
			return runCreate(c.Context, f, opts)
		},
	}
}

func runCreate(ctx context.Context, f *cmdutil.Factory, opts editOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	created, err := cl.CreateDowntime(ctx, &opts.Downtime)
	if err != nil {
		return err
	}
	return f.Printer(opts.Print).Print(cmdutil.Output{JSON: created})
}

func newCmdUpdate(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "update",
		Usage:     "Update a downtime",
		ArgsUsage: "<id> [the flags of create] [--no-recurrence] [--no-until]",
		Description: `Change what the flags say and keep the rest: the downtime is read, changed and written
   back whole (the API replaces a downtime on update). A scope flag replaces that list;
   --service-scope "" empties it. Prints the downtime as JSON.
   Requests "GET /api/v0/downtimes" and "PUT /api/v0/downtimes/<id>".

   Example:
     mkr downtimes update 3Ejxb7Z3gW1 --duration 3h --no-until`,
		Flags: editFlags(true),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return cmdutil.UsageError(c, "update takes exactly one downtime id")
			}
			e, err := parseEdits(c, f)
			if err != nil {
				return err
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
	// The API has no GET of one downtime: find it in the list.
	list, err := cl.FindDowntimes(ctx)
	if err != nil {
		return err
	}
	var d *client.Downtime
	for _, x := range list {
		if x.ID == opts.ID {
			d = x
		}
	}
	if d == nil {
		return fmt.Errorf("no downtime has the id %q", opts.ID)
	}
	if err := opts.Edits.apply(d); err != nil {
		return err
	}
	updated, err := cl.UpdateDowntime(ctx, opts.ID, d)
	if err != nil {
		return err
	}
	return f.Printer(opts.Print).Print(cmdutil.Output{JSON: updated})
}
