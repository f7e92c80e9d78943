package alertgroupsetting

import (
	"context"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/ascode"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func filePathFlag() cli.Flag {
	return &cli.StringFlag{Name: "file-path", Aliases: []string{"F"},
		Usage: "`FILE` of alert group setting definitions (default: " + defaultFile + ")"}
}

func newCmdPull(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "pull",
		Usage:     "pull alert group settings",
		ArgsUsage: "[--file-path | -F <file>] [--verbose | -v]",
		Description: `Pull alert group settings from the server and save them to a file (default ` + defaultFile + `) as
   {"alertGroupSettings": [...]}. Requests "GET /api/v0/alert-group-settings".

   Example: mkr alert-group-settings pull && git diff ` + defaultFile,
		Flags: []cli.Flag{
			filePathFlag(),
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "also print the settings on stdout"},
		},
		Action: func(c *cli.Context) error {
			return settings.Pull(c.Context, f, filePath(c.String("file-path")), c.Bool("verbose"))
		},
	}
}

func newCmdDiff(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "diff alert group settings",
		ArgsUsage: "[--file-path | -F <file>] [--exit-code | -e] [--reverse]",
		Description: `Show the difference between the alert group settings on the server and a file (default
   ` + defaultFile + `), as monitors diff does: a summary, each changed setting as a JSON diff ("-" server,
   "+" file), then the settings only on the server ("-") and only in the file ("+"). A setting without
   "id" is matched by name when names are unique on both sides. Requests "GET /api/v0/alert-group-settings".

   Example: mkr alert-group-settings diff -e || echo "the server differs"`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "exit-code", Aliases: []string{"e"}, Usage: "exit 1 if there are differences and 0 if there are none, like diff(1)"},
			filePathFlag(),
			&cli.BoolFlag{Name: "reverse", Usage: "show the server's side as + and the file's as -"},
		},
		Action: func(c *cli.Context) error {
			return settings.RunDiff(c.Context, f, ascode.DiffOptions{
				FilePath: filePath(c.String("file-path")), ExitCode: c.Bool("exit-code"), Reverse: c.Bool("reverse"),
			})
		},
	}
}

func newCmdPush(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "push",
		Usage:     "push alert group settings",
		ArgsUsage: "[--file-path | -F <file>] [--dry-run | -d] [--delete] [--verbose | -v]",
		Description: `Make the alert group settings on the server match a file (default ` + defaultFile + `): create the
   settings only in the file, delete the settings only on the server, then update the changed ones. Each
   setting is printed. Deleting needs --delete, or a "y" on a terminal; otherwise the settings only on the
   server are kept, listed on stderr, and push exits 2 after creating and updating the others.
   Requests "POST /api/v0/alert-group-settings", "DELETE /api/v0/alert-group-settings/<id>" and
   "PUT /api/v0/alert-group-settings/<id>".

   Example: mkr alert-group-settings push --dry-run`,
		Flags: []cli.Flag{
			filePathFlag(),
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"d"}, Usage: "show what would be sent, but send nothing"},
			&cli.BoolFlag{Name: "delete", Usage: "delete the settings that are not in the file, without asking"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "dump the write requests and responses on stderr"},
		},
		Action: func(c *cli.Context) error {
			opts := ascode.PushOptions{FilePath: filePath(c.String("file-path")), DryRun: c.Bool("dry-run"), Delete: c.Bool("delete")}
			return settings.RunPush(c.Context, f, opts, c.Bool("verbose"), writes)
		},
	}
}

// writes are push's calls; a file's id is the server's to decide, so it
// is not sent.
func writes(cl *client.Client) ascode.Writes[*client.AlertGroupSetting] {
	return ascode.Writes[*client.AlertGroupSetting]{
		Create: func(ctx context.Context, s *client.AlertGroupSetting) error {
			_, err := cl.CreateAlertGroupSetting(ctx, s.Without("id"))
			return err
		},
		Delete: func(ctx context.Context, s *client.AlertGroupSetting) error {
			_, err := cl.DeleteAlertGroupSetting(ctx, s.ID())
			return err
		},
		Update: func(ctx context.Context, remote, local *client.AlertGroupSetting) error {
			_, err := cl.UpdateAlertGroupSetting(ctx, remote.ID(), local.Without("id"))
			return err
		},
	}
}
