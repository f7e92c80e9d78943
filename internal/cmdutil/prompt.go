package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/Songmu/prompter"
)

// Prompter asks a person a yes/no question. Commands only call it after
// IOStreams.CanPrompt has said a person is there.
type Prompter interface {
	Confirm(question string, defaultYes bool) (bool, error)
}

// TerminalPrompter asks on the terminal through Songmu/prompter.
type TerminalPrompter struct{}

func (TerminalPrompter) Confirm(question string, defaultYes bool) (bool, error) {
	def := "n"
	if defaultYes {
		def = "y"
	}
	p := &prompter.Prompter{
		Message:    question,
		Choices:    []string{"y", "n"},
		Default:    def,
		IgnoreCase: true,
	}
	// IgnoreCase accepts "Y" but returns the answer as typed.
	return strings.EqualFold(p.Prompt(), "y"), nil
}

// Interruptible makes p give up its question when ctx ends: the first
// Ctrl-C at a prompt cancels the command (exit 130) instead of leaving mkr
// blocked on a read that the signal does not interrupt, and then taking the
// empty answer as "no".
func Interruptible(ctx context.Context, p Prompter) Prompter {
	if p == nil {
		return nil
	}
	return interruptible{ctx: ctx, p: p}
}

type interruptible struct {
	ctx context.Context
	p   Prompter
}

func (i interruptible) Confirm(question string, defaultYes bool) (bool, error) {
	if err := i.ctx.Err(); err != nil {
		return false, context.Cause(i.ctx)
	}
	type answer struct {
		yes bool
		err error
	}
	done := make(chan answer, 1)
	// The read cannot be cancelled; the goroutine ends with the process.
	go func() {
		yes, err := i.p.Confirm(question, defaultYes)
		done <- answer{yes, err}
	}()
	select {
	case a := <-done:
		return a.yes, a.err
	case <-i.ctx.Done():
		return false, &interruptedPrompt{cause: context.Cause(i.ctx)}
	}
}

// interruptedPrompt is the cause of the run's end seen at a prompt.
type interruptedPrompt struct{ cause error }

func (e *interruptedPrompt) Error() string { return e.cause.Error() }
func (e *interruptedPrompt) Unwrap() error { return e.cause }

// ConfirmDestructive asks before an irreversible action. It never assumes
// yes: without a terminal the caller must pass --force.
func ConfirmDestructive(f *Factory, force bool, question string) error {
	if force {
		return nil
	}
	if !f.IO.CanPrompt() {
		return fmt.Errorf("refusing to continue without confirmation: stdin or stdout is not a terminal (pass --force to proceed)")
	}
	ok, err := f.Prompter.Confirm(question, false)
	var interrupted *interruptedPrompt
	if errors.As(err, &interrupted) {
		// The terminal shows "^C" after the question: end that line.
		fmt.Fprintln(f.IO.ErrOut)
	}
	if err != nil {
		return err
	}
	if !ok {
		return &CancelError{Msg: "canceled."}
	}
	return nil
}
