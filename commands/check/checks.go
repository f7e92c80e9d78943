package check

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/agentconf"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/mkr-dev/mkr/wrap"
	"github.com/urfave/cli/v2"
)

type checksRunOptions struct {
	Report    bool
	HostID    string
	KillAfter time.Duration
}

func NewCmdChecks(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:  "checks",
		Usage: "Run check plugins of mackerel-agent.conf",
		Description: `Run the check plugins configured in mackerel-agent.conf.

   Example:
     mkr checks run`,
		Subcommands: []*cli.Command{
			{
				Name:      "run",
				Usage:     "Run every [plugin.checks.*] and print the results as TAP",
				ArgsUsage: "[--report] [--host | -H <hostId>]",
				Description: `Run every check plugin of the agent config (--conf) the way the agent does (a string command via
   sh -c, an array exec'd directly, env, timeout_seconds default 30, user via sudo) and print TAP version 13
   in config order. Exits 1 with "Failed k/N tests" when any is not OK. With --report the results are
   also posted as check reports (POST /api/v0/monitoring/checks/report) for the local host (or --host).

   Examples:
     mkr checks run --conf /etc/mackerel-agent/mackerel-agent.conf
     mkr checks run --report`,
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "report", Usage: "also post the results as check reports"},
					&cli.StringFlag{Name: "host", Aliases: []string{"H"}, Usage: "report for `HOSTID` (default: the agent's host id)"},
				},
				Action: func(c *cli.Context) error {
					return runChecksRun(c.Context, f, checksRunOptions{Report: c.Bool("report"), HostID: c.String("host"), KillAfter: 10 * time.Second})
				},
			},
			newCmdStatusDrift(f),
		},
	}
}

func runChecksRun(ctx context.Context, f *cmdutil.Factory, opts checksRunOptions) error {
	conf, err := f.AgentConfig()
	if err != nil {
		return err
	}
	if conf == nil {
		return fmt.Errorf("no mackerel-agent config found at %s (use --conf)", f.ConfPath())
	}
	results := runAllChecks(ctx, conf, opts.KillAfter)
	var tap strings.Builder
	if err := writeTAP(&tap, results); err != nil {
		return err
	}
	if err := f.Printer(cmdutil.PrintOptions{}).PrintText("%s", tap.String()); err != nil {
		return err
	}
	var reportErr error
	if opts.Report && len(results) > 0 {
		reportErr = reportCheckResults(ctx, f, conf, opts.HostID, results)
	}
	failed := 0
	for _, r := range results {
		if !r.ok() {
			failed++
		}
	}
	if failed > 0 {
		okPct := float64(len(results)-failed) / float64(len(results)) * 100
		return errors.Join(reportErr, fmt.Errorf("Failed %d/%d tests, %.2f%% okay", failed, len(results), okPct))
	}
	return reportErr
}

// reportCheckResults posts the results, up to 100 per request.
func reportCheckResults(ctx context.Context, f *cmdutil.Factory, conf *agentconf.Config, hostID string, results []*checkResult) error {
	if hostID == "" {
		id, err := f.LocalHostID()
		if err != nil {
			return err
		}
		if id == "" {
			return errors.New("--report needs a host: pass --host or run where mackerel-agent has registered (<root>/id)")
		}
		hostID = id
	}
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	// Reports an earlier `mkr wrap` spooled for this backend go first, so
	// that each check's results arrive in order.
	f.ReplaySpool(ctx, cl)
	now := f.Now().Unix()
	reports := make([]client.CheckReport, 0, len(results))
	for _, r := range results {
		p := conf.Plugin.Checks[r.Name]
		msg := r.Stdout
		if r.Err != "" {
			msg = r.Err
		}
		rep := client.CheckReport{Source: client.HostCheckSource(hostID), Name: r.Name, Status: r.Status,
			Message: wrap.Truncate(msg, wrap.MessageLimit), OccurredAt: now}
		if p.NotificationInterval > 0 {
			rep.NotificationInterval = uint(max(p.NotificationInterval, 10))
		}
		if p.MaxCheckAttempts > 0 {
			rep.MaxCheckAttempts = uint(p.MaxCheckAttempts)
		}
		reports = append(reports, rep)
	}
	for start := 0; start < len(reports); start += client.MaxCheckReportsPerRequest {
		if err := cl.PostCheckReports(ctx, reports[start:min(start+client.MaxCheckReportsPerRequest, len(reports))]); err != nil {
			return err
		}
	}
	f.Log().Info("reported %d check results for host %s", len(reports), hostID)
	return nil
}
