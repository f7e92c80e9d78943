// Package commands is mkr's command tree (urfave/cli v2): one file per noun,
// every command built from a Factory, parsed into an options struct and run
// by a runX function that never sees *cli.Context.
package commands

import (
	"context"
	"errors"
	"runtime/debug"

	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// Main runs mkr with args (args[0] is the program name) and returns the
// process exit code.
func Main(ctx context.Context, args []string, ios *cmdutil.IOStreams, getenv func(string) string, open cmdutil.BackendOpener) int {
	f := cmdutil.NewFactory(ios, getenv)
	f.BackendOpener = open
	f.Version, f.Revision = buildVersion()
	return Run(ctx, f, args)
}

// Run executes one invocation with a prepared Factory (tests use this).
func Run(ctx context.Context, f *cmdutil.Factory, args []string) int {
	app := NewApp(f)
	// The first Ctrl-C at a confirmation prompt ends the run (exit 130);
	// the read it interrupts would otherwise wait for Enter, then count
	// as "no".
	f.Prompter = cmdutil.Interruptible(ctx, f.Prompter)
	err := app.RunContext(ctx, normalizeArgs(app, args))
	if errors.Is(err, context.Canceled) {
		// Say which signal ended the run (exit 130 for SIGINT, 143 for SIGTERM).
		if cause := context.Cause(ctx); cause != nil && cause != context.Canceled {
			err = cause
		}
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	return cmdutil.ExitCode(f.IO.ErrOut, f.Log(), err)
}

// buildVersion reads the module version and VCS revision from build info.
func buildVersion() (version, revision string) {
	version, revision = "unknown", "unknown"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		version = v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && s.Value != "" {
			revision = s.Value
		}
	}
	return
}

// What cmd/mkr needs from the internal packages.
type (
	// EmbeddedBackend is the embedded backend as the CLI sees it.
	EmbeddedBackend = cmdutil.EmbeddedBackend
	// SignalError is the cause main gives the context on SIGINT/SIGTERM.
	SignalError = cmdutil.SignalError
)

// SystemIO returns the process's standard streams with their TTY facts.
func SystemIO() *cmdutil.IOStreams { return cmdutil.SystemIO() }
