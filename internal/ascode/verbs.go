package ascode

import (
	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

// Verbs describes the pull, diff and push subcommands of a Resource kept
// in a file; Commands builds them, so every as-code noun upstream has no
// commands for gets the same flags, wording and behaviour.
type Verbs[R Rule] struct {
	Command     string // the parent command's name: "notification-groups"
	DefaultFile string // where pull writes and diff/push read
	APIPath     string // "/api/v0/notification-groups"
	// DiffNote and PushNote, when set, add a sentence on this kind's own
	// matching to diff's help and a clause on its own pushing to push's.
	DiffNote string
	PushNote string
	// Writes are push's calls over a client.
	Writes func(*client.Client) Writes[R]
}

// Commands returns the pull, diff and push subcommands.
func (res Resource[R]) Commands(f *cmdutil.Factory, v Verbs[R]) []*cli.Command {
	plural := res.LongNoun + "s" // "notification groups"
	path := func(c *cli.Context) string {
		if p := c.String("file-path"); p != "" {
			return p
		}
		return v.DefaultFile
	}
	fileFlag := func() cli.Flag {
		return &cli.StringFlag{Name: "file-path", Aliases: []string{"F"},
			Usage: "`FILE` of " + res.LongNoun + " definitions (default: " + v.DefaultFile + ")"}
	}
	diffNote, pushNote := "", ""
	if v.DiffNote != "" {
		diffNote = "\n   " + v.DiffNote
	}
	if v.PushNote != "" {
		pushNote = " (" + v.PushNote + ")"
	}
	return []*cli.Command{{
		Name:      "pull",
		Usage:     "pull " + plural,
		ArgsUsage: "[--file-path | -F <file>] [--verbose | -v]",
		Description: `Pull ` + plural + ` from the server and save them to a file (default ` + v.DefaultFile + `) as
   {"` + res.FileKey + `": [...]}. Requests "GET ` + v.APIPath + `".

   Example: mkr ` + v.Command + ` pull && git diff ` + v.DefaultFile,
		Flags: []cli.Flag{
			fileFlag(),
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "also print the " + res.Unit + " on stdout"},
		},
		Action: func(c *cli.Context) error {
			return res.Pull(c.Context, f, path(c), c.Bool("verbose"))
		},
	}, {
		Name:      "diff",
		Usage:     "diff " + plural,
		ArgsUsage: "[--file-path | -F <file>] [--exit-code | -e] [--reverse]",
		Description: `Show the difference between the ` + plural + ` on the server and a file (default
   ` + v.DefaultFile + `), as monitors diff does: a summary, each changed ` + res.Noun + ` as a JSON diff ("-" server,
   "+" file), then the ` + res.Unit + ` only on the server ("-") and only in the file ("+"). A ` + res.Noun + ` without
   "id" is matched by name when names are unique on both sides.` + diffNote + `
   Requests "GET ` + v.APIPath + `".

   Example: mkr ` + v.Command + ` diff -e || echo "the server differs"`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "exit-code", Aliases: []string{"e"}, Usage: "exit 1 if there are differences and 0 if there are none, like diff(1)"},
			fileFlag(),
			&cli.BoolFlag{Name: "reverse", Usage: "show the server's side as + and the file's as -"},
		},
		Action: func(c *cli.Context) error {
			return res.RunDiff(c.Context, f, DiffOptions{FilePath: path(c), ExitCode: c.Bool("exit-code"), Reverse: c.Bool("reverse")})
		},
	}, {
		Name:      "push",
		Usage:     "push " + plural,
		ArgsUsage: "[--file-path | -F <file>] [--dry-run | -d] [--delete] [--verbose | -v]",
		Description: `Make the ` + plural + ` on the server match a file (default ` + v.DefaultFile + `): create the
   ` + res.Unit + ` only in the file, delete the ` + res.Unit + ` only on the server, then update the changed ones` + pushNote + `.
   Each ` + res.Noun + ` is printed. Deleting needs --delete, or a "y" on a terminal; otherwise the ` + res.Unit + ` only on
   the server are kept, listed on stderr, and push exits 2 after creating and updating the others.
   Requests "POST ` + v.APIPath + `", "DELETE ` + v.APIPath + `/<id>"
   and "PUT ` + v.APIPath + `/<id>".

   Example: mkr ` + v.Command + ` push --dry-run`,
		Flags: []cli.Flag{
			fileFlag(),
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"d"}, Usage: "show what would be sent, but send nothing"},
			&cli.BoolFlag{Name: "delete", Usage: "delete the " + res.Unit + " that are not in the file, without asking"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "dump the write requests and responses on stderr"},
		},
		Action: func(c *cli.Context) error {
			opts := PushOptions{FilePath: path(c), DryRun: c.Bool("dry-run"), Delete: c.Bool("delete")}
			return res.RunPush(c.Context, f, opts, c.Bool("verbose"), v.Writes)
		},
	}}
}
