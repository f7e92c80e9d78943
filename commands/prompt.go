package commands

import (
	"strings"

	"github.com/Songmu/prompter"
)

// Prompter asks a person a yes/no question. Commands only call it after
// IOStreams.CanPrompt has said a person is there.
type Prompter interface {
	Confirm(question string, defaultYes bool) (bool, error)
}

// terminalPrompter asks on the terminal through Songmu/prompter.
type terminalPrompter struct{}

func (terminalPrompter) Confirm(question string, defaultYes bool) (bool, error) {
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
