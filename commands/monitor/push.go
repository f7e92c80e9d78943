package monitor

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

// exitDeletesKept is push's exit code when rules only on the server were
// left in place because nobody allowed deleting them: the server does not
// match the file, and a script should notice.
const exitDeletesKept = 2

type monitorsPushOptions struct {
	FilePath string
	DryRun   bool
	Verbose  bool
	Delete   bool
}

func newMonitorsPushCommand(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "push",
		Usage:     "push rules",
		ArgsUsage: "[--file-path | -F <file>] [--dry-run | -d] [--delete] [--verbose | -v]",
		Description: `Make the monitor rules on the server match a file (default monitors.json): create the rules only
   in the file, delete the rules only on the server, then update the changed ones. Each rule is printed.
   Deleting needs --delete, or a "y" on a terminal; otherwise the rules only on the server are kept,
   listed on stderr, and push exits 2 after creating and updating the others.
   Requests "POST /api/v0/monitors", "DELETE /api/v0/monitors/<id>" and "PUT /api/v0/monitors/<id>".

   Example: mkr monitors push --dry-run -F monitors.json`,
		Flags: []cli.Flag{
			filePathFlag(),
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"d"}, Usage: "show what would be sent, but send nothing"},
			&cli.BoolFlag{Name: "delete", Usage: "delete the rules that are not in the file, without asking"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "dump the write requests and responses on stderr"},
		},
		Action: func(c *cli.Context) error {
			return runMonitorsPush(c.Context, f, monitorsPushOptions{
				FilePath: rulesPath(c.String("file-path")), DryRun: c.Bool("dry-run"),
				Verbose: c.Bool("verbose"), Delete: c.Bool("delete"),
			})
		},
	}
}

func runMonitorsPush(ctx context.Context, f *cmdutil.Factory, opts monitorsPushOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	d, err := loadBothSides(ctx, f, cl, opts.FilePath)
	if err != nil {
		return err
	}
	deleting, declined, err := mayDelete(f, opts, d.onlyRemote)
	if err != nil {
		return err
	}
	writer := cl
	if opts.Verbose {
		writer = cl.WithDebug(f.IO.ErrOut)
	}
	out := f.Printer(cmdutil.PrintOptions{})
	log := f.Log()
	// Upstream's order: create, delete, update; the first error stops.
	for _, m := range d.onlyLocal {
		log.Info("Create a new rule.")
		if err := out.PrintText("%s\n", stringifyRule(m, "")); err != nil {
			return err
		}
		if !opts.DryRun {
			if _, err := writer.CreateMonitor(ctx, m); err != nil {
				return err
			}
		}
	}
	if deleting {
		for _, m := range d.onlyRemote {
			log.Info("Delete a rule.")
			if err := out.PrintText("%s\n", stringifyRule(m, "")); err != nil {
				return err
			}
			if !opts.DryRun {
				if _, err := writer.DeleteMonitor(ctx, m.ID()); err != nil {
					return err
				}
			}
		}
	}
	for _, p := range d.modified {
		log.Info("Update a rule.")
		if err := out.PrintText("%s\n", stringifyRule(p.local, "")); err != nil {
			return err
		}
		if !opts.DryRun {
			if _, err := writer.UpdateMonitor(ctx, p.remote.ID(), p.local); err != nil {
				return err
			}
		}
	}
	if deleting || len(d.onlyRemote) == 0 {
		return nil
	}
	return reportKept(f, opts, d.onlyRemote, declined)
}

// mayDelete decides whether the rules only on the server are deleted:
// with --delete, or when a person at a terminal says yes. A dry run never
// asks (it writes nothing) and shows the deletes only with --delete.
func mayDelete(f *cmdutil.Factory, opts monitorsPushOptions, onlyRemote []*client.Monitor) (deleting, declined bool, err error) {
	if opts.Delete || len(onlyRemote) == 0 {
		return true, false, nil
	}
	if opts.DryRun || !f.IO.CanPrompt() {
		return false, false, nil
	}
	question := fmt.Sprintf("Delete %d monitor rule(s) that are not in %s?\n%s\nAre you sure?",
		len(onlyRemote), opts.FilePath, describeRules(onlyRemote))
	err = cmdutil.ConfirmDestructive(f, false, question)
	var cancel *cmdutil.CancelError
	if errors.As(err, &cancel) {
		return false, true, nil
	}
	return err == nil, false, err
}

// reportKept lists the rules push did not delete and how to delete them.
func reportKept(f *cmdutil.Factory, opts monitorsPushOptions, kept []*client.Monitor, declined bool) error {
	log := f.Log()
	for _, m := range kept {
		log.Warn("Kept %s: it is not in %s.", describeRule(m), opts.FilePath)
	}
	hint := fmt.Sprintf("mkr monitors push --delete -F %s", opts.FilePath)
	switch {
	case opts.DryRun:
		log.Warn("%d rule(s) not in %s would be kept; %s would delete them.", len(kept), opts.FilePath, hint)
		return nil
	case declined:
		log.Info("Deleting is canceled; %s deletes them without asking.", hint)
		return nil
	}
	return &cmdutil.CodedError{Code: exitDeletesKept, Err: fmt.Errorf(
		"%d rule(s) not in %s were not deleted: run %s to delete them", len(kept), opts.FilePath, hint)}
}

func describeRules(ms []*client.Monitor) string {
	lines := make([]string, len(ms))
	for i, m := range ms {
		lines[i] = "  " + describeRule(m)
	}
	return strings.Join(lines, "\n")
}

func describeRule(m *client.Monitor) string {
	return fmt.Sprintf("%s %s %q", m.ID(), m.Type(), m.Name())
}
