package notificationgroup

import (
	"context"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/ascode"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func filePathFlag() cli.Flag {
	return &cli.StringFlag{Name: "file-path", Aliases: []string{"F"},
		Usage: "`FILE` of notification group definitions (default: " + defaultFile + ")"}
}

func newCmdPull(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "pull",
		Usage:     "pull notification groups",
		ArgsUsage: "[--file-path | -F <file>] [--verbose | -v]",
		Description: `Pull notification groups from the server and save them to a file (default ` + defaultFile + `) as
   {"notificationGroups": [...]}. Requests "GET /api/v0/notification-groups".

   Example: mkr notification-groups pull && git diff ` + defaultFile,
		Flags: []cli.Flag{
			filePathFlag(),
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "also print the groups on stdout"},
		},
		Action: func(c *cli.Context) error {
			return groups.Pull(c.Context, f, filePath(c.String("file-path")), c.Bool("verbose"))
		},
	}
}

func newCmdDiff(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "diff notification groups",
		ArgsUsage: "[--file-path | -F <file>] [--exit-code | -e] [--reverse]",
		Description: `Show the difference between the notification groups on the server and a file (default
   ` + defaultFile + `), as monitors diff does: a summary, each changed group as a JSON diff ("-" server,
   "+" file), then the groups only on the server ("-") and only in the file ("+"). A group without "id"
   is matched by name when names are unique on both sides; the default group is matched as the default.
   "type" never counts as a change. Requests "GET /api/v0/notification-groups".

   Example: mkr notification-groups diff -e || echo "the server differs"`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "exit-code", Aliases: []string{"e"}, Usage: "exit 1 if there are differences and 0 if there are none, like diff(1)"},
			filePathFlag(),
			&cli.BoolFlag{Name: "reverse", Usage: "show the server's side as + and the file's as -"},
		},
		Action: func(c *cli.Context) error {
			return groups.RunDiff(c.Context, f, ascode.DiffOptions{
				FilePath: filePath(c.String("file-path")), ExitCode: c.Bool("exit-code"), Reverse: c.Bool("reverse"),
			})
		},
	}
}

func newCmdPush(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "push",
		Usage:     "push notification groups",
		ArgsUsage: "[--file-path | -F <file>] [--dry-run | -d] [--delete] [--verbose | -v]",
		Description: `Make the notification groups on the server match a file (default ` + defaultFile + `): create the
   groups only in the file, delete the groups only on the server, then update the changed ones (the default
   group only ever updated). Each group is printed. Deleting needs --delete, or a "y" on a terminal;
   otherwise the groups only on the server are kept, listed on stderr, and push exits 2 after creating and
   updating the others. Requests "POST /api/v0/notification-groups",
   "DELETE /api/v0/notification-groups/<id>" and "PUT /api/v0/notification-groups/<id>".

   Example: mkr notification-groups push --dry-run`,
		Flags: []cli.Flag{
			filePathFlag(),
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"d"}, Usage: "show what would be sent, but send nothing"},
			&cli.BoolFlag{Name: "delete", Usage: "delete the groups that are not in the file, without asking"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "dump the write requests and responses on stderr"},
		},
		Action: func(c *cli.Context) error {
			opts := ascode.PushOptions{FilePath: filePath(c.String("file-path")), DryRun: c.Bool("dry-run"), Delete: c.Bool("delete")}
			return groups.RunPush(c.Context, f, opts, c.Bool("verbose"), writes)
		},
	}
}

// writes are push's calls. The id and type of a file's group are the
// server's to decide, so they are not sent.
func writes(cl *client.Client) ascode.Writes[*client.NotificationGroup] {
	return ascode.Writes[*client.NotificationGroup]{
		Create: func(ctx context.Context, g *client.NotificationGroup) error {
			_, err := cl.CreateNotificationGroup(ctx, g.Without("id", "type"))
			return err
		},
		Delete: func(ctx context.Context, g *client.NotificationGroup) error {
			_, err := cl.DeleteNotificationGroup(ctx, g.ID())
			return err
		},
		Update: func(ctx context.Context, remote, local *client.NotificationGroup) error {
			_, err := cl.UpdateNotificationGroup(ctx, remote.ID(), local.Without("id", "type"))
			return err
		},
	}
}
