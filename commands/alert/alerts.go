package alert

import (
	"context"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

// maxAlertsLimit bounds --limit, as upstream does.
const maxAlertsLimit = 1000000

type alertsOptions struct {
	WithClosed bool
	Limit      int // 0: every open alert, or 100 with --with-closed
	Print      cmdutil.PrintOptions
}

func NewCmdAlerts(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "alerts",
		Usage:     "Retrieve, list, close and annotate alerts",
		ArgsUsage: "[--with-closed | -w] [--limit | -l <n>] [--jq <formula>]",
		Description: `Retrieve alerts as JSON (a table on a terminal), newest first: every open alert, or with
   --with-closed the latest 100 (or --limit). Requests "GET /api/v0/alerts".
   See https://mackerel.io/api-docs/entry/alerts .

   Examples:
     mkr alerts --with-closed --limit 500 --jq '.[] | select(.status == "CRITICAL") | .id'
     mkr alerts close --reason "fixed by the deploy" 2bj3H7wJeEy`,
		Flags: append(alertsPagingFlags(), cmdutil.JQFlag(), cmdutil.OutputFlag(), cmdutil.AllProfilesFlag()),
		Action: func(c *cli.Context) error {
			opts, err := parseAlertsOptions(c)
			if err != nil {
				return err
			}
			if c.Bool("all-profiles") {
				return runAlertsAllProfiles(c.Context, f, opts)
			}
			return runAlerts(c.Context, f, opts)
		},
		Subcommands: []*cli.Command{
			newAlertsListCommand(f),
			newAlertsCloseCommand(f),
			newAlertsLogsCommand(f),
			newAlertsMemoCommand(f),
		},
	}
}

func alertsPagingFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "with-closed", Aliases: []string{"w"}, Usage: "include closed alerts"},
		&cli.IntFlag{Name: "limit", Aliases: []string{"l"}, Usage: "at most `N` alerts (default: all open, or 100 with --with-closed)"},
	}
}

func parseAlertsOptions(c *cli.Context) (alertsOptions, error) {
	opts := alertsOptions{WithClosed: c.Bool("with-closed"), Limit: c.Int("limit"), Print: cmdutil.PrintOptionsFrom(c)}
	if opts.Limit < 0 {
		return opts, cmdutil.UsageError(c, "limit should not be negative")
	}
	if opts.Limit > maxAlertsLimit {
		return opts, cmdutil.UsageError(c, "limit should not exceed %d", maxAlertsLimit)
	}
	if !c.IsSet("limit") && opts.WithClosed {
		opts.Limit = 100
	}
	return opts, nil
}

// fetchAlerts follows nextId until the limit (0: no limit) is reached.
func fetchAlerts(ctx context.Context, cl *client.Client, withClosed bool, limit int) ([]*client.Alert, error) {
	var all []*client.Alert
	next := ""
	for {
		pageSize := 100
		if limit > 0 {
			pageSize = min(100, limit-len(all))
		}
		page, err := cl.FindAlerts(ctx, withClosed, next, pageSize)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Alerts...)
		if page.NextID == "" || (limit > 0 && len(all) >= limit) {
			break
		}
		next = page.NextID
	}
	if limit > 0 && len(all) > limit {
		all = all[:limit]
	}
	if all == nil {
		all = []*client.Alert{}
	}
	return all, nil
}

func runAlerts(ctx context.Context, f *cmdutil.Factory, opts alertsOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	alerts, err := fetchAlerts(ctx, cl, opts.WithClosed, opts.Limit)
	if err != nil {
		return err
	}
	loc := f.TimeZone()
	return f.Printer(opts.Print).Print(cmdutil.Output{JSON: alerts, Table: func() *cmdutil.Table {
		return alertsTable(alerts, loc)
	}})
}

func alertsTable(alerts []*client.Alert, loc *time.Location) *cmdutil.Table {
	t := &cmdutil.Table{Header: []string{"id", "status", "type", "host", "opened at", "closed at", "message"}}
	for _, a := range alerts {
		closed := ""
		if a.ClosedAt != 0 {
			closed = time.Unix(a.ClosedAt, 0).In(loc).Format(time.DateTime)
		}
		t.Rows = append(t.Rows, []string{a.ID, a.Status, a.Type, a.HostID,
			time.Unix(a.OpenedAt, 0).In(loc).Format(time.DateTime), closed, truncateRunes(firstLineOf(a.Message), 60)})
	}
	return t
}

func newAlertsCloseCommand(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "close",
		Usage:     "Close alerts",
		ArgsUsage: "[--reason | -r <reason>] [--verbose | -v] <alertIds...>",
		Description: `Close the alerts with a reason. Requests "POST /api/v0/alerts/<alertId>/close".

   Example:
     mkr alerts close --reason "fixed by the deploy" 2bj3H7wJeEy 2bj3H7wJeEz`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "reason", Aliases: []string{"r"}, Usage: "`REASON` for closing"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "print each closed alert"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return cmdutil.UsageError(c, "alerts close needs at least one <alertId>")
			}
			return runAlertsClose(c.Context, f, c.Args().Slice(), c.String("reason"), c.Bool("verbose"))
		},
	}
}

// runAlertsClose closes alerts in turn and stops at the first failure.
func runAlertsClose(ctx context.Context, f *cmdutil.Factory, ids []string, reason string, verbose bool) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		a, err := cl.CloseAlert(ctx, id, reason)
		if err != nil {
			return err
		}
		f.Log().Log("Alert closed", "%s", id)
		if verbose {
			if err := f.Printer(cmdutil.PrintOptions{Output: cmdutil.OutputJSON}).Print(cmdutil.Output{JSON: a}); err != nil {
				return err
			}
		}
	}
	return nil
}

func newAlertsLogsCommand(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "logs",
		Usage:     "Show the logs of an alert",
		ArgsUsage: "[--limit | -l <n>] [--jq <formula>] <alertId>",
		Description: `Show an alert's state changes, newest first. Requests "GET /api/v0/alerts/<alertId>/logs".

   Example:
     mkr alerts logs --limit 10 2bj3H7wJeEy`,
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "limit", Aliases: []string{"l"}, Value: 100, Usage: "at most `N` logs"},
			cmdutil.JQFlag(),
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return cmdutil.UsageError(c, "alerts logs needs exactly one <alertId>")
			}
			limit := c.Int("limit")
			if limit < 1 || limit > maxAlertsLimit {
				return cmdutil.UsageError(c, "limit must be between 1 and %d", maxAlertsLimit)
			}
			opts := cmdutil.PrintOptionsFrom(c)
			return runAlertsLogs(c.Context, f, c.Args().First(), limit, opts)
		},
	}
}

func runAlertsLogs(ctx context.Context, f *cmdutil.Factory, id string, limit int, opts cmdutil.PrintOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	logs := []*client.AlertLog{}
	next := ""
	for len(logs) < limit {
		page, err := cl.FindAlertLogs(ctx, id, next, min(100, limit-len(logs)))
		if err != nil {
			return err
		}
		logs = append(logs, page.Logs...)
		if page.NextID == "" {
			break
		}
		next = page.NextID
	}
	return f.Printer(opts).Print(cmdutil.Output{JSON: logs})
}

func newAlertsMemoCommand(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "memo",
		Usage:     "Set the memo of an alert",
		ArgsUsage: "<alertId> <memo>",
		Description: `Set an alert's memo (at most 80 KB). Requests "PUT /api/v0/alerts/<alertId>".

   Example:
     mkr alerts memo 2bj3H7wJeEy "disk cleaned; watching"`,
		Action: func(c *cli.Context) error {
			if c.NArg() != 2 {
				return cmdutil.UsageError(c, "alerts memo needs <alertId> and <memo>")
			}
			return runAlertsMemo(c.Context, f, c.Args().Get(0), c.Args().Get(1))
		},
	}
}

func runAlertsMemo(ctx context.Context, f *cmdutil.Factory, id, memo string) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	if err := cl.UpdateAlertMemo(ctx, id, memo); err != nil {
		return err
	}
	f.Log().Log("updated", "memo of alert %s", id)
	return nil
}

func firstLineOf(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}

// truncateRunes cuts s to n runes, marking the cut with "...".
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "..."
}
