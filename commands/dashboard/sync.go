package dashboard

import (
	"context"
	"fmt"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/ascode"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

// spec is how dashboards are matched, diffed and pushed with the as-code
// machinery of monitors: a file's dashboard is the server's with the same
// id, or without an id the one with the same urlPath (ascode's name);
// createdAt and updatedAt are the server's and never count as a change.
var spec = ascode.Spec[*client.Dashboard]{
	Hidden:   []string{"createdAt", "updatedAt"},
	Noun:     "dashboard",
	LongNoun: "dashboard",
	Command:  "mkr dashboards",
	Describe: func(d *client.Dashboard) string { return fmt.Sprintf("%s %q (%s)", d.ID(), d.Title(), d.URLPath()) },
}

// serverOwned are the keys push never sends.
var serverOwned = []string{"id", "createdAt", "updatedAt"}

type syncOptions struct {
	dir   string
	files []string // only these files: nothing is deleted
}

func syncFlags() []cli.Flag {
	return []cli.Flag{
		dirFlag(),
		&cli.StringSliceFlag{Name: "file-path", Aliases: []string{"F"},
			Usage: "only this dashboard `FILE` (repeatable); dashboards of other files are never deleted then"},
	}
}

func syncOptionsFrom(c *cli.Context) syncOptions {
	return syncOptions{dir: c.String("dir"), files: c.StringSlice("file-path")}
}

// where names the files in messages and hints.
func (o syncOptions) where() string {
	if len(o.files) > 0 {
		return fmt.Sprint(o.files)
	}
	return "--dir " + o.dir
}

// both reads the server and the files and matches them. With -F, the
// server's other dashboards are left out: the files are not the whole set.
func both(ctx context.Context, f *cmdutil.Factory, cl *client.Client, o syncOptions) (ascode.Diff[*client.Dashboard], error) {
	local, err := readFiles(o.dir, o.files)
	if err != nil {
		return ascode.Diff[*client.Dashboard]{}, err
	}
	remote, err := findAll(ctx, cl)
	if err != nil {
		return ascode.Diff[*client.Dashboard]{}, err
	}
	locals := make([]*client.Dashboard, len(local))
	for i, l := range local {
		locals[i] = l.d
	}
	unique := ascode.UniqueNames(f.Log(), remote, "dashboards (urlPath) on the server")
	unique = ascode.UniqueNames(f.Log(), locals, "dashboards (urlPath) in "+o.where()) && unique
	d := spec.Match(remote, locals, unique)
	if len(o.files) > 0 {
		d.OnlyRemote = nil
	}
	return d, nil
}

func newCmdDiff(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "diff custom dashboards",
		ArgsUsage: "[--dir <dir> | -F <file>...] [--exit-code | -e] [--reverse]",
		Description: `Show the difference between the dashboards on the server and the dashboard-*.json files of --dir
   (or only the -F files), as monitors diff does: a summary, each changed dashboard as a JSON diff ("-"
   server, "+" file), then the dashboards only on the server ("-") and only in the files ("+"). A file
   without "id" is matched by urlPath. createdAt and updatedAt never count as a change.
   Requests "GET /api/v0/dashboards" and "GET /api/v0/dashboards/<id>".

   Example: mkr dashboards diff --dir dashboards -e || echo "the server differs"`,
		Flags: append(syncFlags(),
			&cli.BoolFlag{Name: "exit-code", Aliases: []string{"e"}, Usage: "exit 1 if there are differences and 0 if there are none, like diff(1)"},
			&cli.BoolFlag{Name: "reverse", Usage: "show the server's side as + and the files' as -"},
		),
		Action: func(c *cli.Context) error {
			cl, err := f.Client(c.Context)
			if err != nil {
				return err
			}
			d, err := both(c.Context, f, cl, syncOptionsFrom(c))
			if err != nil {
				return err
			}
			if err := f.Printer(cmdutil.PrintOptions{}).PrintText("%s", spec.DiffText(d, c.Bool("reverse"))); err != nil {
				return err
			}
			if c.Bool("exit-code") && !d.Empty() {
				return &cmdutil.ExitError{Code: 1}
			}
			return nil
		},
	}
}

func newCmdPush(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "push",
		Usage:     "push custom dashboards",
		ArgsUsage: "[--dir <dir> | -F <file>...] [--dry-run | -d] [--delete] [--verbose | -v]",
		Description: `Make the dashboards on the server match the dashboard-*.json files of --dir (or only the -F files):
   create the dashboards only in the files, delete those only on the server, then update the changed ones
   (matched by id, or by urlPath for a file without one). Each dashboard is printed. Deleting needs
   --delete, or a "y" on a terminal; otherwise the dashboards only on the server are kept, listed on
   stderr, and push exits 2. With -F nothing is deleted. Every field of a file is sent, including those
   mackerel-client-go does not know. Requests "POST /api/v0/dashboards", "PUT /api/v0/dashboards/<id>"
   and "DELETE /api/v0/dashboards/<id>".

   Example: mkr dashboards push -F dashboard-2c5bLca8e.json`,
		Flags: append(syncFlags(),
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"d"}, Usage: "show what would be sent, but send nothing"},
			&cli.BoolFlag{Name: "delete", Usage: "delete the dashboards that are not in the files, without asking"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "dump the write requests and responses on stderr"},
		),
		Action: func(c *cli.Context) error {
			o := syncOptionsFrom(c)
			cl, err := f.Client(c.Context)
			if err != nil {
				return err
			}
			d, err := both(c.Context, f, cl, o)
			if err != nil {
				return err
			}
			writer := cl
			if c.Bool("verbose") {
				writer = cl.WithDebug(f.IO.ErrOut)
			}
			opts := ascode.PushOptions{FilePath: o.where(), DryRun: c.Bool("dry-run"), Delete: c.Bool("delete")}
			return spec.Push(c.Context, f, d, opts, writes(writer))
		},
	}
}

func writes(cl *client.Client) ascode.Writes[*client.Dashboard] {
	return ascode.Writes[*client.Dashboard]{
		Create: func(ctx context.Context, d *client.Dashboard) error {
			_, err := cl.CreateDashboard(ctx, d.Without(serverOwned...))
			return err
		},
		Delete: func(ctx context.Context, d *client.Dashboard) error {
			_, err := cl.DeleteDashboard(ctx, d.ID())
			return err
		},
		Update: func(ctx context.Context, remote, local *client.Dashboard) error {
			_, err := cl.UpdateDashboard(ctx, remote.ID(), local.Without(serverOwned...))
			return err
		},
	}
}
