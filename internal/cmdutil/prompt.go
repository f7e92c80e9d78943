package cmdutil

import (
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
	if err != nil {
		return err
	}
	if !ok {
		return &CancelError{Msg: "canceled."}
	}
	return nil
}
