package ascode

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// ExitDeletesKept is push's exit code when rules only on the server were
// left in place because nobody allowed deleting them: the server does not
// match the file, and a script should notice.
const ExitDeletesKept = 2

// Writes are the API calls of push.
type Writes[R Rule] struct {
	Create func(ctx context.Context, local R) error
	Delete func(ctx context.Context, remote R) error
	Update func(ctx context.Context, remote, local R) error
}

// PushOptions are push's flags.
type PushOptions struct {
	FilePath string
	DryRun   bool
	Delete   bool // delete without asking
}

// Push makes the server match the file in upstream's order (create,
// delete, update), printing each rule; the first error stops it. Rules only
// on the server are deleted only with --delete or a yes from a person at a
// terminal; otherwise they are kept and listed, and push ends with
// ExitDeletesKept (not on a dry run, nor when the person said no).
func (s Spec[R]) Push(ctx context.Context, f *cmdutil.Factory, d Diff[R], opts PushOptions, w Writes[R]) error {
	deleting, declined, err := s.mayDelete(f, opts, d.OnlyRemote)
	if err != nil {
		return err
	}
	out := f.Printer(cmdutil.PrintOptions{})
	log := f.Log()
	for _, r := range d.OnlyLocal {
		log.Info("Create a new %s.", s.Noun)
		if err := out.PrintText("%s\n", Stringify(r, "")); err != nil {
			return err
		}
		if !opts.DryRun {
			if err := w.Create(ctx, r); err != nil {
				return err
			}
		}
	}
	if deleting {
		for _, r := range d.OnlyRemote {
			log.Info("Delete a %s.", s.Noun)
			if err := out.PrintText("%s\n", Stringify(r, "")); err != nil {
				return err
			}
			if !opts.DryRun {
				if err := w.Delete(ctx, r); err != nil {
					return err
				}
			}
		}
	}
	for _, p := range d.Modified {
		log.Info("Update a %s.", s.Noun)
		if err := out.PrintText("%s\n", Stringify(p.Local, "")); err != nil {
			return err
		}
		if !opts.DryRun {
			if err := w.Update(ctx, p.Remote, p.Local); err != nil {
				return err
			}
		}
	}
	if deleting || len(d.OnlyRemote) == 0 {
		return nil
	}
	return s.reportKept(f, opts, d.OnlyRemote, declined)
}

// mayDelete decides whether the rules only on the server are deleted:
// with --delete, or when a person at a terminal says yes. A dry run never
// asks (it writes nothing) and shows the deletes only with --delete.
func (s Spec[R]) mayDelete(f *cmdutil.Factory, opts PushOptions, onlyRemote []R) (deleting, declined bool, err error) {
	if opts.Delete || len(onlyRemote) == 0 {
		return true, false, nil
	}
	if opts.DryRun || !f.IO.CanPrompt() {
		return false, false, nil
	}
	question := fmt.Sprintf("Delete %d %s(s) that are not in %s?\n%s\nAre you sure?",
		len(onlyRemote), s.LongNoun, opts.FilePath, s.describeAll(onlyRemote))
	err = cmdutil.ConfirmDestructive(f, false, question)
	var cancel *cmdutil.CancelError
	if errors.As(err, &cancel) {
		return false, true, nil
	}
	return err == nil, false, err
}

// reportKept lists the rules push did not delete and how to delete them.
func (s Spec[R]) reportKept(f *cmdutil.Factory, opts PushOptions, kept []R, declined bool) error {
	log := f.Log()
	for _, r := range kept {
		log.Warn("Kept %s: it is not in %s.", s.Describe(r), opts.FilePath)
	}
	hint := fmt.Sprintf("%s push --delete -F %s", s.Command, opts.FilePath)
	switch {
	case opts.DryRun:
		log.Warn("%d %s(s) not in %s would be kept; %s would delete them.", len(kept), s.Noun, opts.FilePath, hint)
		return nil
	case declined:
		log.Info("Deleting is canceled; %s deletes them without asking.", hint)
		return nil
	}
	return &cmdutil.CodedError{Code: ExitDeletesKept, Err: fmt.Errorf(
		"%d %s(s) not in %s were not deleted: run %s to delete them", len(kept), s.Noun, opts.FilePath, hint)}
}

func (s Spec[R]) describeAll(rs []R) string {
	lines := make([]string, len(rs))
	for i, r := range rs {
		lines[i] = "  " + s.Describe(r)
	}
	return strings.Join(lines, "\n")
}
