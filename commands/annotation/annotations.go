package annotation

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type annotationOptions struct {
	ID         string
	Annotation client.GraphAnnotation
	BestEffort bool
	Print      cmdutil.PrintOptions
}

func annotationFlags(forUpdate bool) []cli.Flag {
	fromUsage, toUsage := "start `TIME` (default now)", "end `TIME` (default --from)"
	if forUpdate {
		fromUsage, toUsage = "new start `TIME`", "new end `TIME`"
	}
	return []cli.Flag{
		&cli.StringFlag{Name: "title", Usage: "annotation `TITLE` (at most 250 characters)"},
		&cli.StringFlag{Name: "description", Usage: "annotation `DESCRIPTION` (at most 1024 characters)"},
		&cli.StringFlag{Name: "description-file", Usage: "read the description from `FILE` (- for stdin)", TakesFile: true},
		&cli.StringFlag{Name: "from", Usage: fromUsage},
		&cli.StringFlag{Name: "to", Usage: toUsage},
		&cli.StringFlag{Name: "service", Aliases: []string{"s"}, Usage: "`SERVICE` of the annotation"},
		&cli.StringSliceFlag{Name: "role", Aliases: []string{"r"}, Usage: "`ROLE` of the service (repeatable; none: the whole service)"},
		&cli.BoolFlag{Name: "best-effort", Usage: "on an API failure, warn and exit 0 (for provisioners and deploy hooks)"},
	}
}

func NewCmdAnnotations(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:  "annotations",
		Usage: "Create, list, update and delete graph annotations",
		Description: `Manage graph annotations (deploys, incidents) of a service.
   Times are epoch seconds, RFC 3339, "now", or relative such as -1h, now-30m.
   See https://mackerel.io/api-docs/entry/graph-annotation .

   Example:
     mkr annotations list --service web --from -7d`,
		Subcommands: []*cli.Command{
			{
				Name:      "create",
				Usage:     "Create a graph annotation",
				ArgsUsage: "--title <title> [--description <description> | --description-file <file>] [--from <time>] [--to <time>] --service | -s <service> [--role | -r <role>...] [--best-effort]",
				Description: `Create an annotation and print it as JSON (so --jq .id works). Requests "POST /api/v0/graph-annotations".

   Example:
     mkr annotations create --service web --title "deploy v1.4.2" --from -10m --to now`,
				Flags: append(annotationFlags(false),
					&cli.BoolFlag{Name: "truncate", Usage: "cut a too long title or description in the middle (head and tail kept, the cut marked) instead of failing"},
					cmdutil.JQFlag()),
				Action: func(c *cli.Context) error {
					opts, err := parseAnnotationFlags(c, f, false)
					if err != nil {
						return err
					}
					if c.Bool("truncate") {
						truncateAnnotation(f, &opts.Annotation)
					}
					return runAnnotationCreate(c.Context, f, opts)
				},
			},
			{
				Name:      "list",
				Usage:     "List graph annotations",
				ArgsUsage: "--service | -s <service> [--from <time>] [--to <time>]",
				Description: `List the annotations of a service overlapping the window (default: the last 24 hours). Requests "GET /api/v0/graph-annotations".

   Example:
     mkr annotations list --service web --from -7d --jq '.[].title'`,
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "service", Aliases: []string{"s"}, Usage: "`SERVICE` of the annotations"},
					&cli.StringFlag{Name: "from", Usage: "window start `TIME` (default -24h)"},
					&cli.StringFlag{Name: "to", Usage: "window end `TIME` (default now)"},
					cmdutil.JQFlag(), cmdutil.OutputFlag(),
				},
				Action: func(c *cli.Context) error {
					svc := c.String("service")
					if svc == "" {
						return cmdutil.UsageError(c, "`service` is a required field to list graph annotations.")
					}
					now := f.Now()
					from, err := cmdutil.OptionalTime(c.String("from"), now.Add(-24*time.Hour).Unix(), now)
					if err != nil {
						return cmdutil.UsageError(c, "--from: %s", err)
					}
					to, err := cmdutil.OptionalTime(c.String("to"), now.Unix(), now)
					if err != nil {
						return cmdutil.UsageError(c, "--to: %s", err)
					}
					opts := cmdutil.PrintOptionsFrom(c)
					return runAnnotationList(c.Context, f, svc, from, to, opts)
				},
			},
			{
				Name:      "update",
				Usage:     "Update a graph annotation",
				ArgsUsage: "--id <id> [--title <title>] [--description <description> | --description-file <file>] [--from <time>] [--to <time>] [--service | -s <service>] [--role | -r <role>...]",
				Description: `Update the given fields of an annotation and print it. Requests "PUT /api/v0/graph-annotations/<id>".

   Example:
     mkr annotations update --id 2fsf8jRxFG1 --title "deploy v1.4.3"`,
				Flags: append(annotationFlags(true), &cli.StringFlag{Name: "id", Usage: "annotation `ID`"}, cmdutil.JQFlag()),
				Action: func(c *cli.Context) error {
					opts, err := parseAnnotationFlags(c, f, true)
					if err != nil {
						return err
					}
					return runAnnotationUpdate(c.Context, f, opts)
				},
			},
			{
				Name:      "delete",
				Usage:     "Delete a graph annotation",
				ArgsUsage: "--id <id> [--best-effort]",
				Description: `Delete an annotation and print it as it was. Requests "DELETE /api/v0/graph-annotations/<id>".

   Example:
     mkr annotations delete --id 2fsf8jRxFG1`,
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "id", Usage: "annotation `ID`"},
					&cli.BoolFlag{Name: "best-effort", Usage: "on an API failure, warn and exit 0"},
					cmdutil.JQFlag(),
				},
				Action: func(c *cli.Context) error {
					id := c.String("id")
					if id == "" {
						return cmdutil.UsageError(c, "`id` is a required field to delete a graph annotation.")
					}
					return runAnnotationDelete(c.Context, f, annotationOptions{ID: id, BestEffort: c.Bool("best-effort"), Print: cmdutil.PrintOptionsFrom(c)})
				},
			},
		},
	}
}

// parseAnnotationFlags validates in upstream's order and wording.
func parseAnnotationFlags(c *cli.Context, f *cmdutil.Factory, update bool) (annotationOptions, error) {
	opts := annotationOptions{ID: c.String("id"), BestEffort: c.Bool("best-effort"), Print: cmdutil.PrintOptionsFrom(c)}
	a := &opts.Annotation
	a.Title, a.Service, a.Roles = c.String("title"), c.String("service"), c.StringSlice("role")
	if update && opts.ID == "" {
		return opts, cmdutil.UsageError(c, "`id` is a required field to update a graph annotation.")
	}
	if !update && a.Title == "" {
		return opts, cmdutil.UsageError(c, "`title` is a required field to create a graph annotation.")
	}
	if !update && a.Service == "" {
		return opts, cmdutil.UsageError(c, "`service` is a required field to create a graph annotation.")
	}
	desc, err := annotationDescription(c, f)
	if err != nil {
		return opts, err
	}
	a.Description = desc
	now := f.Now()
	if a.From, err = cmdutil.OptionalTime(c.String("from"), 0, now); err != nil {
		return opts, cmdutil.UsageError(c, "--from: %s", err)
	}
	if a.To, err = cmdutil.OptionalTime(c.String("to"), 0, now); err != nil {
		return opts, cmdutil.UsageError(c, "--to: %s", err)
	}
	// 0 stands for "not given" below and in the API; a given 0 (often an
	// empty shell variable's arithmetic) must not turn into now or "keep".
	for _, flag := range []struct {
		name string
		v    int64
	}{{"from", a.From}, {"to", a.To}} {
		if c.String(flag.name) != "" && flag.v <= 0 {
			return opts, cmdutil.UsageError(c, "--%s: %q is not a time after 1970-01-01T00:00:00Z (epoch seconds)", flag.name, c.String(flag.name))
		}
	}
	if !update {
		// Deploy hooks usually mark an instant: from defaults to now and
		// to to from.
		if a.From == 0 {
			a.From = now.Unix()
		}
		if a.To == 0 {
			a.To = a.From
		}
	}
	if a.From != 0 && a.To != 0 && a.From > a.To {
		return opts, cmdutil.UsageError(c, "--from (%d) is after --to (%d)", a.From, a.To)
	}
	return opts, nil
}

func annotationDescription(c *cli.Context, f *cmdutil.Factory) (string, error) {
	desc, file := c.String("description"), c.String("description-file")
	if desc != "" && file != "" {
		return "", cmdutil.UsageError(c, "specify one of `description` or `description-file`.")
	}
	if file == "" {
		return desc, nil
	}
	var r io.Reader = f.IO.In
	if file != "-" {
		fh, err := os.Open(file)
		if err != nil {
			return "", err
		}
		defer fh.Close()
		r = fh
	}
	data, err := io.ReadAll(r)
	return string(data), err
}

// bestEffort turns an API failure into a warning when asked to.
func bestEffort(f *cmdutil.Factory, on bool, what string, err error) error {
	if err == nil || !on {
		return err
	}
	f.Log().Warn("%s failed (ignored, --best-effort): %s", what, err)
	return nil
}

func runAnnotationCreate(ctx context.Context, f *cmdutil.Factory, opts annotationOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return bestEffort(f, opts.BestEffort, "creating the annotation", err)
	}
	created, err := cl.CreateGraphAnnotation(ctx, &opts.Annotation)
	if err != nil {
		return bestEffort(f, opts.BestEffort, "creating the annotation", err)
	}
	return f.Printer(opts.Print).Print(cmdutil.Output{JSON: created})
}

func runAnnotationList(ctx context.Context, f *cmdutil.Factory, service string, from, to int64, opts cmdutil.PrintOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	list, err := cl.FindGraphAnnotations(ctx, service, from, to)
	if err != nil {
		return err
	}
	loc := f.TimeZone()
	return f.Printer(opts).Print(cmdutil.Output{JSON: list, Table: func() *cmdutil.Table {
		t := &cmdutil.Table{Header: []string{"id", "from", "to", "title", "roles"}}
		for _, a := range list {
			t.Rows = append(t.Rows, []string{a.ID, time.Unix(a.From, 0).In(loc).Format(time.DateTime),
				time.Unix(a.To, 0).In(loc).Format(time.DateTime), a.Title, fmt.Sprint(a.Roles)})
		}
		return t
	}})
}

func runAnnotationUpdate(ctx context.Context, f *cmdutil.Factory, opts annotationOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return bestEffort(f, opts.BestEffort, "updating the annotation", err)
	}
	updated, err := cl.UpdateGraphAnnotation(ctx, opts.ID, &opts.Annotation)
	if err != nil {
		return bestEffort(f, opts.BestEffort, "updating the annotation", err)
	}
	return f.Printer(opts.Print).Print(cmdutil.Output{JSON: updated})
}

func runAnnotationDelete(ctx context.Context, f *cmdutil.Factory, opts annotationOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return bestEffort(f, opts.BestEffort, "deleting the annotation", err)
	}
	deleted, err := cl.DeleteGraphAnnotation(ctx, opts.ID)
	if err != nil {
		return bestEffort(f, opts.BestEffort, "deleting the annotation", err)
	}
	return f.Printer(opts.Print).Print(cmdutil.Output{JSON: deleted})
}

// truncateAnnotation cuts a title or description over the API's limits,
// saying so on stderr (--truncate).
func truncateAnnotation(f *cmdutil.Factory, a *client.GraphAnnotation) {
	var cut bool
	if a.Title, cut = truncateMiddle(a.Title, maxTitle); cut {
		f.Log().Warn("the title was cut to %d characters (--truncate)", maxTitle)
	}
	if a.Description, cut = truncateMiddle(a.Description, maxDescription); cut {
		f.Log().Warn("the description was cut to %d characters (--truncate)", maxDescription)
	}
}
