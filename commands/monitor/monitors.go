// Package monitor holds `mkr monitors` and its pull, diff and push verbs:
// monitor rules kept in a monitors.json file and synchronised with the API.
package monitor

import (
	"context"
	"strings"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func NewCmdMonitors(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "monitors",
		Usage:     "Manipulate monitors",
		ArgsUsage: "[--jq <formula>]",
		Description: `Manipulate monitor rules. With no subcommand, show every monitor rule (JSON, a table on a terminal).
   Monitors of types this mkr does not know are shown, pulled and pushed as they are.
   Requests APIs under "/api/v0/monitors". See https://mackerel.io/api-docs/entry/monitors .

   Examples:
     mkr monitors --jq '.[] | select(.type == "host") | .name'
     mkr monitors pull -F monitors.json`,
		Flags: []cli.Flag{cmdutil.JQFlag(), cmdutil.OutputFlag()},
		Action: func(c *cli.Context) error {
			return runMonitors(c.Context, f, cmdutil.PrintOptionsFrom(c))
		},
		Subcommands: []*cli.Command{
			newMonitorsPullCommand(f),
			newMonitorsDiffCommand(f),
			newMonitorsPushCommand(f),
			newMonitorsRetrainCommand(f),
		},
	}
}

func filePathFlag() cli.Flag {
	return &cli.StringFlag{Name: "file-path", Aliases: []string{"F"},
		Usage: "`FILE` of monitor rule definitions (default: monitors.json)"}
}

func runMonitors(ctx context.Context, f *cmdutil.Factory, opts cmdutil.PrintOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	monitors, err := cl.FindMonitors(ctx)
	if err != nil {
		return err
	}
	return f.Printer(opts).Print(cmdutil.Output{JSON: monitors, Table: func() *cmdutil.Table {
		t := &cmdutil.Table{Header: []string{"id", "type", "name", "target"}}
		for _, m := range monitors {
			t.Rows = append(t.Rows, []string{m.ID(), m.Type(), m.Name(), monitorTarget(m)})
		}
		return t
	}})
}

// monitorTarget is what a monitor watches, for the table.
func monitorTarget(m *client.Monitor) string {
	for _, key := range []string{"metric", "url", "expression", "query"} {
		if v := m.String(key); v != "" {
			v = strings.Join(strings.Fields(v), " ")
			if s := m.String("service"); s != "" && key == "metric" {
				v = s + " " + v
			}
			return v
		}
	}
	return strings.Join(m.Strings("scopes"), ", ")
}

type monitorsPullOptions struct {
	FilePath string
	Verbose  bool
}

func newMonitorsPullCommand(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "pull",
		Usage:     "pull rules",
		ArgsUsage: "[--file-path | -F <file>] [--verbose | -v]",
		Description: `Pull monitor rules from the server and save them to a file (default monitors.json) as
   {"monitors": [...]}. Requests "GET /api/v0/monitors".

   Example: mkr monitors pull -F monitors.json && git diff monitors.json`,
		Flags: []cli.Flag{
			filePathFlag(),
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "also print the rules on stdout"},
		},
		Action: func(c *cli.Context) error {
			return runMonitorsPull(c.Context, f, monitorsPullOptions{FilePath: rulesPath(c.String("file-path")), Verbose: c.Bool("verbose")})
		},
	}
}

func runMonitorsPull(ctx context.Context, f *cmdutil.Factory, opts monitorsPullOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	monitors, err := cl.FindMonitors(ctx)
	if err != nil {
		return err
	}
	if err := saveRules(opts.FilePath, monitors); err != nil {
		return err
	}
	if opts.Verbose {
		if err := f.Printer(cmdutil.PrintOptions{Output: cmdutil.OutputJSON}).Print(cmdutil.Output{JSON: monitors}); err != nil {
			return err
		}
	}
	f.Log().Info("Monitor rules are saved to '%s' (%d rules).", opts.FilePath, len(monitors))
	return nil
}

// loadBothSides reads the remote rules and the file, validated as upstream
// does (remote first), and matches them.
func loadBothSides(ctx context.Context, f *cmdutil.Factory, cl *client.Client, path string) (rulesDiff, error) {
	remote, err := cl.FindMonitors(ctx)
	if err != nil {
		return rulesDiff{}, err
	}
	uniqueRemote, err := validateRules(f.Log(), remote, "remote rules")
	if err != nil {
		return rulesDiff{}, err
	}
	local, err := loadRules(path)
	if err != nil {
		return rulesDiff{}, err
	}
	uniqueLocal, err := validateRules(f.Log(), local, "local rules")
	if err != nil {
		return rulesDiff{}, err
	}
	return monitorSpec.Match(remote, local, uniqueRemote && uniqueLocal), nil
}
