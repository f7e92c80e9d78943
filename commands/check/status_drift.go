package check

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

// Check plugin exit codes, as mackerel-agent reads them.
const (
	checkOK       = 0
	checkWarning  = 1
	checkCritical = 2
	checkUnknown  = 3
)

// driftLimits are how long hosts may stay in one status: past warning the
// check warns, past critical it is critical. Zero is no limit.
type driftLimits struct{ warning, critical time.Duration }

type statusDriftOptions struct {
	Limits  map[string]driftLimits // by status: standby, maintenance
	Service string
}

// driftStatuses are the statuses a host is parked in and forgotten.
var driftStatuses = []string{client.HostStatusStandby, client.HostStatusMaintenance}

func newCmdStatusDrift(f *cmdutil.Factory) *cli.Command {
	flags := []cli.Flag{&cli.StringFlag{Name: "service", Aliases: []string{"s"}, Usage: "only hosts in `SERVICE`"}}
	for _, st := range driftStatuses {
		flags = append(flags,
			&cli.StringFlag{Name: "max-" + st, Usage: "CRITICAL when a host has been in " + st + " longer than `AGE` (e.g. 2h, 1d)"},
			&cli.StringFlag{Name: "warning-" + st, Usage: "WARNING when a host has been in " + st + " longer than `AGE`"})
	}
	return &cli.Command{
		Name:      "status-drift",
		Usage:     "A check plugin: hosts left in standby or maintenance too long",
		ArgsUsage: "[--max-standby <age>] [--warning-standby <age>] [--max-maintenance <age>] [--warning-maintenance <age>] [--service | -s <service>]",
		Description: `Find hosts that have stayed in standby or maintenance longer than allowed, and exit like a check
   plugin: 0 OK, 1 WARNING (past a --warning-* age), 2 CRITICAL (past a --max-* age), 3 UNKNOWN (the API
   cannot be read, or does not say when host statuses changed: the hosted Mackerel API does not, mkr's
   backend does). One line on stdout names the hosts. Ages are Go durations with an optional leading day
   count (90m, 2h, 1d12h). A status without a limit is not checked.

   As a mackerel-agent check:
     [plugin.checks.status-drift]
     command = ["mkr", "checks", "status-drift", "--max-standby", "2h", "--max-maintenance", "1d"]
   or from cron, reported as a check:
     mkr wrap --name status-drift -- mkr checks status-drift --warning-standby 1h --max-standby 4h

   Example:
     mkr checks status-drift --max-standby 2h --max-maintenance 1d`,
		Flags: flags,
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return cmdutil.UsageError(c, "status-drift takes no arguments, got %q", c.Args().First())
			}
			opts := statusDriftOptions{Limits: map[string]driftLimits{}, Service: c.String("service")}
			for _, st := range driftStatuses {
				var l driftLimits
				for name, into := range map[string]*time.Duration{"max-" + st: &l.critical, "warning-" + st: &l.warning} {
					if !c.IsSet(name) {
						continue
					}
					d, err := cmdutil.ParseAge(c.String(name))
					if err != nil || d == 0 {
						return cmdutil.UsageError(c, "--%s: want a positive age such as 2h or 1d, got %q", name, c.String(name))
					}
					*into = d
				}
				if l.warning != 0 && l.critical != 0 && l.warning > l.critical {
					return cmdutil.UsageError(c, "--warning-%s (%s) is longer than --max-%s (%s)", st, cmdutil.FormatAge(l.warning), st, cmdutil.FormatAge(l.critical))
				}
				if l != (driftLimits{}) {
					opts.Limits[st] = l
				}
			}
			if len(opts.Limits) == 0 {
				return cmdutil.UsageError(c, "give at least one limit: --max-standby, --max-maintenance or a --warning-* variant")
			}
			return runStatusDrift(c.Context, f, opts)
		},
	}
}

// driftedHost is a host past one of its status's limits.
type driftedHost struct {
	host  *client.Host
	age   time.Duration
	limit time.Duration
	level int
}

func runStatusDrift(ctx context.Context, f *cmdutil.Factory, opts statusDriftOptions) error {
	printer := f.Printer(cmdutil.PrintOptions{})
	finish := func(code int, format string, args ...any) error {
		if err := printer.PrintText(format+"\n", args...); err != nil {
			return err
		}
		if code == checkOK {
			return nil
		}
		return &cmdutil.ExitError{Code: code}
	}
	var statuses []string
	for _, st := range driftStatuses {
		if _, ok := opts.Limits[st]; ok {
			statuses = append(statuses, st)
		}
	}
	cl, err := f.Client(ctx)
	if err != nil {
		return finish(checkUnknown, "UNKNOWN: %v", err)
	}
	hosts, err := cl.FindHosts(ctx, client.FindHostsParam{Service: opts.Service, Statuses: statuses})
	if err != nil {
		return finish(checkUnknown, "UNKNOWN: %v", err)
	}
	now := f.Now()
	var drifted []driftedHost
	var unknown []string
	for _, h := range hosts {
		if h.StatusChangedAt == 0 {
			unknown = append(unknown, h.Name)
			continue
		}
		l := opts.Limits[h.Status]
		age := now.Sub(time.Unix(h.StatusChangedAt, 0))
		switch {
		case l.critical != 0 && age > l.critical:
			drifted = append(drifted, driftedHost{h, age, l.critical, checkCritical})
		case l.warning != 0 && age > l.warning:
			drifted = append(drifted, driftedHost{h, age, l.warning, checkWarning})
		}
	}
	if len(unknown) > 0 {
		return finish(checkUnknown, "UNKNOWN: the API does not say when the status of %s changed (only mkr's backend records it)", nameList(unknown))
	}
	if len(drifted) == 0 {
		return finish(checkOK, "OK: %s", okSummary(hosts, statuses))
	}
	// The longest-parked first: the hosts most likely forgotten.
	sort.SliceStable(drifted, func(i, j int) bool {
		if drifted[i].level != drifted[j].level {
			return drifted[i].level > drifted[j].level
		}
		return drifted[i].age > drifted[j].age
	})
	level := drifted[0].level
	parts := make([]string, len(drifted))
	for i, d := range drifted {
		kind := "max"
		if d.level == checkWarning {
			kind = "warning"
		}
		parts[i] = fmt.Sprintf("%s (%s) in %s for %s (%s %s)", d.host.Name, d.host.ID, d.host.Status,
			cmdutil.FormatAge(d.age), kind, cmdutil.FormatAge(d.limit))
	}
	word := map[int]string{checkWarning: "WARNING", checkCritical: "CRITICAL"}[level]
	// A check message is cut at 1024 characters by the hosted API: name
	// the first few, count the rest.
	const named = 10
	list := strings.Join(parts[:min(len(parts), named)], ", ")
	if len(parts) > named {
		list += fmt.Sprintf(" and %d more", len(parts)-named)
	}
	return finish(level, "%s: %s left too long: %s", word, plural(len(drifted), "host"), list)
}

// okSummary says what was looked at, so an OK is not mistaken for "no
// hosts were found".
func okSummary(hosts []*client.Host, statuses []string) string {
	if len(hosts) == 0 {
		return "no host in " + strings.Join(statuses, " or ")
	}
	return fmt.Sprintf("%s in %s, none past its limit", plural(len(hosts), "host"), strings.Join(statuses, " or "))
}

// nameList names at most five hosts, then says how many more.
func nameList(names []string) string {
	const shown = 5
	if len(names) <= shown {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:shown], ", "), len(names)-shown)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
