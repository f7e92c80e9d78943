package cmdutil

import (
	"bytes"
	"io"
	"os"

	"github.com/mattn/go-isatty"
)

// IOStreams holds the process's standard streams and what is known about
// them. TTY-ness is detected once, here, and overridable in tests.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	StdinTTY  bool
	StdoutTTY bool
	StderrTTY bool
	// NoColor is set by NO_COLOR (non-empty) or TERM=dumb.
	NoColor bool
	// Width is the stdout terminal's width in columns (0: not known).
	Width int
}

// SystemIO returns the real standard streams.
func SystemIO() *IOStreams {
	tty := func(f *os.File) bool { return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()) }
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		StdinTTY: tty(os.Stdin), StdoutTTY: tty(os.Stdout), StderrTTY: tty(os.Stderr),
		NoColor: os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb",
		Width:   terminalWidth(os.Stdout),
	}
}

// TestIO returns streams backed by buffers, with no terminal anywhere.
func TestIO() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// CanPrompt reports whether a person can answer a question: both stdin and
// stdout must be terminals (the same rule upstream's prompter applies).
func (s *IOStreams) CanPrompt() bool { return s.StdinTTY && s.StdoutTTY }

// ColorErr reports whether stderr may carry ANSI colour.
func (s *IOStreams) ColorErr() bool { return s.StderrTTY && !s.NoColor }

// ColorOut reports whether stdout may carry ANSI colour.
func (s *IOStreams) ColorOut() bool { return s.StdoutTTY && !s.NoColor }
