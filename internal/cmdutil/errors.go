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

// FlagError is a usage mistake: the command's usage is shown with it.
type FlagError struct {
	msg string
	cmd *cli.Context
}

func (e *FlagError) Error() string { return e.msg }

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
	switch {
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
		if flagErr.cmd != nil {
			ShowUsage(errOut, flagErr.cmd)
		}
		log.Error("%s", flagErr.msg)
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

// ShowUsage prints a command's help to w.
func ShowUsage(w io.Writer, c *cli.Context) {
	cmd := c.Command
	// urfave/cli v2 runs the app as a root command named after the app.
	if cmd == nil || cmd.Name == "" || cmd.Name == c.App.Name {
		saved := c.App.Writer
		c.App.Writer = w
		cli.ShowAppHelp(c)
		c.App.Writer = saved
		return
	}
	tmpl := cli.CommandHelpTemplate
	if HasSubcommands(cmd) {
		tmpl = cli.SubcommandHelpTemplate
	}
	cli.HelpPrinter(w, tmpl, cmd)
}

// HasSubcommands ignores the "help" subcommand urfave adds to every command
// it runs, so a leaf's usage matches what `mkr <cmd> --help` prints.
func HasSubcommands(cmd *cli.Command) bool {
	for _, sub := range cmd.Subcommands {
		if sub.Name != "help" {
			return true
		}
	}
	return false
}

func AsCancel(err error, target **CancelError) bool { return errors.As(err, target) }
