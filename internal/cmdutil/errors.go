package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"
)

// Exit codes. Usage errors exit 1 as upstream does; the rest follow it too.
const (
	ExitOK             = 0
	ExitFailure        = 1
	ExitUnknownCommand = 3 // unknown command, as urfave/upstream
	ExitLockMismatch   = 4
	ExitInterrupted    = 130
)

// FlagError is a usage mistake. It is reported as one line, then a
// pointer to the help of the command it belongs to (not the whole help:
// the reason must be the first thing a person reads).
type FlagError struct {
	msg         string
	cmd         *cli.Context
	suggestions []string // "did you mean" candidates, such as flag names
}

func (e *FlagError) Error() string { return e.msg }

// WithSuggestions returns a copy of e that offers the given alternatives.
func (e *FlagError) WithSuggestions(s []string) *FlagError {
	c := *e
	c.suggestions = s
	return &c
}

// UnknownCommandError is a word where a command was expected, such as
// `mkr hsots` or `mkr alerts clsoe`: exit 3, as upstream's unknown command.
type UnknownCommandError struct {
	Word        string
	Parent      string // the command path it was given to, such as "mkr alerts"
	Suggestions []string
}

func (e *UnknownCommandError) Error() string {
	return fmt.Sprintf("unknown command %q for %q", e.Word, e.Parent)
}

func FlagErrorf(format string, args ...any) error {
	return &FlagError{msg: fmt.Sprintf(format, args...)}
}

// UsageError ties a usage mistake to the command whose help to print.
func UsageError(c *cli.Context, format string, args ...any) error {
	return &FlagError{msg: fmt.Sprintf(format, args...), cmd: c}
}

// CancelError is a declined confirmation: a message, exit 0.
type CancelError struct{ Msg string }

func (e *CancelError) Error() string { return e.Msg }

// ExitError ends mkr with a given code and an optional bare message (wrap
// passes its child's exit code through this).
type ExitError struct {
	Code    int
	Message string
}

func (e *ExitError) Error() string { return e.Message }

// CodedError is an error that ends mkr with its own exit code, logged like
// any other error.
type CodedError struct {
	Code int
	Err  error
}

func (e *CodedError) Error() string { return e.Err.Error() }
func (e *CodedError) Unwrap() error { return e.Err }

// SignalError is the cause of a context cancelled by a signal; mkr then
// exits 128+signal, as a shell reports a process killed by it.
type SignalError struct{ Signal os.Signal }

func (e *SignalError) Error() string { return "interrupted by " + e.Signal.String() }

func (e *SignalError) code() int {
	if s, ok := e.Signal.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return ExitInterrupted
}

// SilentError has already been reported; it only sets exit code 1.
var SilentError = errors.New("silent error")

// ExitCode maps an error to the process exit code, printing it on stderr
// in upstream's format. It is the only place that decides exit codes.
func ExitCode(errOut io.Writer, log *Logger, err error) int {
	if err == nil {
		return ExitOK
	}
	var flagErr *FlagError
	var cancel *CancelError
	var exit *ExitError
	var cliExit cli.ExitCoder
	var coded *CodedError
	var sig *SignalError
	var unknown *UnknownCommandError
	switch {
	case errors.As(err, &unknown):
		log.Error("%s", unknown)
		writeUsageHint(errOut, unknown.Suggestions, unknown.Parent)
		return ExitUnknownCommand
	case errors.As(err, &sig):
		log.Error("%s", sig)
		return sig.code()
	case errors.As(err, &coded):
		log.Error("%s", coded.Err)
		return coded.Code
	case errors.Is(err, SilentError):
		return ExitFailure
	case errors.As(err, &cancel):
		log.Info("%s", cancel.Msg)
		return ExitOK
	case errors.As(err, &exit):
		if exit.Message != "" {
			fmt.Fprintln(errOut, exit.Message)
		}
		return exit.Code
	case errors.As(err, &flagErr):
		log.Error("%s", flagErr.msg)
		if flagErr.cmd != nil {
			writeUsageHint(errOut, flagErr.suggestions, HelpName(flagErr.cmd))
		}
		return ExitFailure
	case errors.As(err, &cliExit):
		if msg := strings.TrimSpace(cliExit.Error()); msg != "" {
			fmt.Fprintln(errOut, msg)
		}
		return cliExit.ExitCode()
	case errors.Is(err, context.Canceled):
		log.Error("interrupted")
		return ExitInterrupted
	default:
		log.Error("%s", err)
		return ExitFailure
	}
}

// writeUsageHint follows a usage error's one-line reason: the close
// alternatives, if any, and where the full usage is.
func writeUsageHint(w io.Writer, suggestions []string, helpName string) {
	if len(suggestions) > 0 {
		fmt.Fprint(w, "\nDid you mean this?\n")
		for _, s := range suggestions {
			fmt.Fprintf(w, "\t%s\n", s)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Run '%s --help' for usage.\n", helpName)
}

// HelpName is the command path of c as typed, such as "mkr alerts close".
func HelpName(c *cli.Context) string {
	cmd := c.Command
	if cmd == nil || cmd.Name == "" || cmd.Name == c.App.Name {
		return c.App.Name
	}
	if cmd.HelpName != "" {
		return cmd.HelpName
	}
	return c.App.Name + " " + cmd.Name
}

func AsCancel(err error, target **CancelError) bool { return errors.As(err, target) }
