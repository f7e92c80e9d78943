package commands

import (
	"fmt"

	"github.com/mkr-dev/mkr/commands/alert"
	"github.com/mkr-dev/mkr/commands/alertgroupsetting"
	"github.com/mkr-dev/mkr/commands/annotation"
	"github.com/mkr-dev/mkr/commands/awsintegration"
	"github.com/mkr-dev/mkr/commands/channel"
	"github.com/mkr-dev/mkr/commands/check"
	"github.com/mkr-dev/mkr/commands/dashboard"
	"github.com/mkr-dev/mkr/commands/db"
	"github.com/mkr-dev/mkr/commands/downtime"
	"github.com/mkr-dev/mkr/commands/graphdef"
	"github.com/mkr-dev/mkr/commands/host"
	"github.com/mkr-dev/mkr/commands/invitation"
	"github.com/mkr-dev/mkr/commands/metadata"
	"github.com/mkr-dev/mkr/commands/metric"
	"github.com/mkr-dev/mkr/commands/monitor"
	"github.com/mkr-dev/mkr/commands/notificationgroup"
	"github.com/mkr-dev/mkr/commands/org"
	"github.com/mkr-dev/mkr/commands/plugin"
	"github.com/mkr-dev/mkr/commands/profile"
	"github.com/mkr-dev/mkr/commands/role"
	"github.com/mkr-dev/mkr/commands/serve"
	"github.com/mkr-dev/mkr/commands/service"
	"github.com/mkr-dev/mkr/commands/trace"
	"github.com/mkr-dev/mkr/commands/user"
	"github.com/mkr-dev/mkr/commands/wrapcmd"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

// globalFlags returns fresh copies of the flags every command accepts.
// urfave/cli v2 keeps parse state on flag values, so each command and each
// run needs its own.
func globalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "conf", Usage: "mackerel-agent config `FILE` (apikey, apibase, root)", TakesFile: true},
		&cli.StringFlag{Name: "apibase", Usage: "API base `URL` (default https://api.mackerelio.com, or the conf's apibase)"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "hide info log lines"},
		&cli.StringFlag{Name: "db", Usage: "local database `PATH` (env MKR_DB; default $XDG_DATA_HOME/mkr/mkr.db)", TakesFile: true},
		&cli.BoolFlag{Name: "local", Usage: "use the embedded backend even when an API key is configured (env MKR_LOCAL=1)"},
		&cli.StringFlag{Name: "profile", Usage: "use the profile `NAME` (env MKR_PROFILE; see mkr profiles)"},
	}
}

var globalFlagNames = map[string]bool{"conf": true, "apibase": true, "quiet": true, "q": true, "db": true, "local": true, "profile": true}

// absorbGlobals copies the global flags set on this context level into f;
// inner levels run later, so `mkr hosts --apibase X` wins over `mkr --apibase Y hosts`.
func absorbGlobals(f *cmdutil.Factory, c *cli.Context) {
	for _, name := range c.LocalFlagNames() {
		switch name {
		case "conf":
			f.Global.Conf, f.Global.ConfSet = c.String("conf"), true
		case "apibase":
			f.Global.APIBase = c.String("apibase")
		case "quiet", "q":
			f.Global.Quiet = c.Bool("quiet")
		case "db":
			f.Global.DB = c.String("db")
		case "local":
			f.Global.Local = c.Bool("local")
		case "profile":
			f.Global.Profile = c.String("profile")
		}
	}
}

// NewApp builds a fresh command tree bound to f.
func NewApp(f *cmdutil.Factory) *cli.App {
	app := &cli.App{
		Name:                 "mkr",
		Usage:                "A CLI tool for mackerel.io and its self-hosted, embedded backend",
		HideVersion:          true, // urfave's version flag is a shared global; ours is per run
		Writer:               f.IO.Out,
		ErrWriter:            f.IO.ErrOut,
		Reader:               f.IO.In,
		EnableBashCompletion: true,
		HideHelpCommand:      true, // ours is newHelpCommand
		Flags: append(globalFlags(),
			&cli.BoolFlag{Name: "version", Aliases: []string{"v"}, Usage: "print the version"},
			// urfave adds its --help only while no command is named help.
			&cli.BoolFlag{Name: "help", Aliases: []string{"h"}, Usage: "show help"}),
		Action: func(c *cli.Context) error {
			if c.Bool("version") {
				_, err := fmt.Fprintf(f.IO.Out, "mkr version %s (rev:%s)\n", f.Version, f.Revision)
				return err
			}
			if c.Args().Present() {
				return unknownCommand(c.App.Name, c.App.Commands, c.Args().First())
			}
			return cli.ShowAppHelp(c)
		},
		ExitErrHandler: func(*cli.Context, error) {}, // exit codes are decided in exitCode
		Before: func(c *cli.Context) error {
			absorbGlobals(f, c)
			return nil
		},
		OnUsageError: usageError,
		Commands: []*cli.Command{
			host.NewCmdStatus(f),
			host.NewCmdHosts(f),
			host.NewCmdCreate(f),
			host.NewCmdUpdate(f),
			metric.NewCmdThrow(f),
			metric.NewCmdMetrics(f),
			metric.NewCmdFetch(f),
			host.NewCmdRetire(f),
			service.NewCmdServices(f),
			monitor.NewCmdMonitors(f),
			downtime.NewCmdDowntimes(f),
			channel.NewCmdChannels(f),
			notificationgroup.NewCmdNotificationGroups(f),
			alertgroupsetting.NewCmdAlertGroupSettings(f),
			dashboard.NewCmdDashboards(f),
			alert.NewCmdAlerts(f),
			role.NewCmdRoles(f),
			metadata.NewCmdMetadata(f),
			annotation.NewCmdAnnotations(f),
			graphdef.NewCmdGraphDefs(f),
			org.NewCmdOrg(f),
			user.NewCmdUsers(f),
			invitation.NewCmdInvitations(f),
			awsintegration.NewCmdAWSIntegrations(f),
			trace.NewCmdTraces(f),
			profile.NewCmdProfiles(f),
			check.NewCmdChecks(f),
			wrapcmd.NewCmdWrap(f),
			plugin.NewCmdPlugin(f),
			metric.NewCmdMetricNames(f),
			serve.NewCmdServe(f),
			db.NewCmdDB(f),
			newCompletionCommand(f),
			newHelpCommand(f, nil),
		},
	}
	for _, cmd := range app.Commands {
		addGlobals(f, cmd)
	}
	return app
}

// addGlobals gives cmd and its subcommands the global flags, a Before hook
// that absorbs them and checks the output flags, usage errors that point at
// the command's help, and the refusal of unknown subcommands.
func addGlobals(f *cmdutil.Factory, cmd *cli.Command) {
	cmd.Flags = append(cmd.Flags, globalFlags()...)
	// urfave would give every command a "help, h" subcommand: on a leaf it
	// swallows a positional argument spelled h or help (`mkr create h`),
	// and it is urfave's shared global, which its own setup makes a
	// subcommand of itself — a cycle for the next run in the same process.
	// --help stays, and `mkr help <command>` is ours (newHelpCommand).
	cmd.HideHelpCommand = true
	if len(cmd.Subcommands) > 0 && findCommand(cmd.Subcommands, "help") == nil {
		cmd.Subcommands = append(cmd.Subcommands, newHelpCommand(f, cmd))
	}
	before := cmd.Before
	prints := hasOutputFlags(cmd)
	cmd.Before = func(c *cli.Context) error {
		absorbGlobals(f, c)
		if prints {
			// Output flags are checked (and --jq/--format parsed) here,
			// once for every command, before any action has an effect.
			if err := cmdutil.PrintOptionsFrom(c).Validate(); err != nil {
				return err
			}
		}
		if before != nil {
			return before(c)
		}
		return nil
	}
	if cmd.OnUsageError == nil {
		cmd.OnUsageError = usageError
	}
	rejectUnknownSubcommands(cmd)
	for _, sub := range cmd.Subcommands {
		addGlobals(f, sub)
	}
}

// hasOutputFlags reports whether cmd takes --jq, --format or --output.
func hasOutputFlags(cmd *cli.Command) bool {
	for _, fl := range cmd.Flags {
		for _, name := range fl.Names() {
			if name == "jq" || name == "format" || name == "output" {
				return true
			}
		}
	}
	return false
}
