package alert

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type alertsListOptions struct {
	alertsOptions
	Services     []string
	HostStatuses []string
	Color        bool
}

func newAlertsListCommand(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "list",
		Usage:     "List alerts, one line each",
		ArgsUsage: "[--service | -s <service>...] [--host-status | -S <status>...] [--color | -c] [--with-closed | -w] [--limit | -l <n>]",
		Description: `List alerts in a human-readable line format:
   <alertId> <openedAt> <STATUS> <monitor and value> <host> <status> [<roles>]
   Colour is used only when stdout is a terminal (and NO_COLOR is unset).

   Examples:
     mkr alerts list --service web --host-status working
     mkr alerts list --color=false --with-closed`,
		Flags: append(alertsPagingFlags(),
			&cli.StringSliceFlag{Name: "service", Aliases: []string{"s"}, Usage: "only alerts of `SERVICE` (repeatable)"},
			&cli.StringSliceFlag{Name: "host-status", Aliases: []string{"S"}, Usage: "only alerts of hosts with `STATUS` (repeatable)"},
			&cli.BoolFlag{Name: "color", Aliases: []string{"c"}, Value: true, Usage: "colour the statuses on a terminal"},
		),
		Action: func(c *cli.Context) error {
			base, err := parseAlertsOptions(c)
			if err != nil {
				return err
			}
			opts := alertsListOptions{alertsOptions: base, Services: c.StringSlice("service"),
				HostStatuses: c.StringSlice("host-status"), Color: c.Bool("color") && f.IO.ColorOut()}
			for _, st := range opts.HostStatuses {
				if !client.ValidHostStatus(st) {
					// A status no host can have would filter out every alert.
					return cmdutil.UsageError(c, "--host-status must be one of %s, not %q", strings.Join(client.HostStatuses, ", "), st)
				}
			}
			return runAlertsList(c.Context, f, opts)
		},
	}
}

func runAlertsList(ctx context.Context, f *cmdutil.Factory, opts alertsListOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	alerts, err := fetchAlerts(ctx, cl, opts.WithClosed, opts.Limit)
	if err != nil {
		return err
	}
	hosts, err := cl.FindHosts(ctx, client.FindHostsParam{Statuses: client.HostStatuses})
	if err != nil {
		return err
	}
	byID := make(map[string]*client.Host, len(hosts))
	for _, h := range hosts {
		byID[h.ID] = h
	}
	monitorList, err := cl.FindMonitors(ctx)
	if err != nil {
		return err
	}
	monitors := make(map[string]*client.Monitor, len(monitorList))
	for _, m := range monitorList {
		monitors[m.ID()] = m
	}
	checkNames := map[string]string{}
	loc := f.TimeZone()
	var b strings.Builder
	for _, a := range alerts {
		h := byID[a.HostID]
		if a.HostID != "" && h == nil {
			// A retired host is not listed; fetch it by id.
			if got, err := cl.FindHost(ctx, a.HostID); err == nil {
				h = got
				byID[a.HostID] = got
			}
		}
		m := monitors[a.MonitorID]
		if !alertMatches(a, h, m, opts) {
			continue
		}
		fmt.Fprintf(&b, "%s %s %s %s%s\n", a.ID, time.Unix(a.OpenedAt, 0).In(loc).Format(time.DateTime),
			colorStatus(a.Status, opts.Color), alertMonitorMessage(ctx, cl, a, m, checkNames), alertHostMessage(h, opts.Color))
	}
	return f.Printer(cmdutil.PrintOptions{}).PrintText("%s", b.String())
}

// alertMatches applies -S and -s. An alert without a host matches -s by
// its monitor's service (service metric and external monitors), as
// upstream.
func alertMatches(a *client.Alert, h *client.Host, m *client.Monitor, opts alertsListOptions) bool {
	if len(opts.HostStatuses) > 0 && (h == nil || !slices.Contains(opts.HostStatuses, h.Status)) {
		return false
	}
	if len(opts.Services) > 0 {
		for _, s := range opts.Services {
			if h != nil {
				if _, ok := h.Roles[s]; ok {
					return true
				}
			} else if m != nil && (m.Type() == "service" || m.Type() == "external") && m.String("service") == s {
				return true
			}
		}
		return false
	}
	return true
}

// alertMonitorMessage describes what fired, in upstream's words (see
// monitorMessage). Check alerts show the check name (looked up once per
// monitor) and the first line of the message (checkMessageLine).
func alertMonitorMessage(ctx context.Context, cl *client.Client, a *client.Alert, m *client.Monitor, cache map[string]string) string {
	if a.Type == "check" {
		name, ok := cache[a.MonitorID]
		if !ok {
			if m, err := cl.FindCheckMonitor(ctx, a.MonitorID); err == nil {
				name = m.Name
			}
			cache[a.MonitorID] = name
		}
		if name == "" {
			name = a.MonitorID
		}
		return name + " " + checkMessageLine(a.Message)
	}
	return monitorMessage(a, m)
}

// checkMessageLine is a check report's message on one line, as upstream
// prints it: up to the first line break (\n or \r), at most 100 runes,
// and "..." when anything was left out, so that a reader knows a
// multi-line plugin message goes on (upstream mkr v0.65.0 and later).
func checkMessageLine(msg string) string {
	cut := false
	if i := strings.IndexAny(msg, "\n\r"); i >= 0 {
		msg, cut = msg[:i], true
	}
	if r := []rune(msg); len(r) > 100 {
		msg, cut = string(r[:100]), true
	}
	if cut {
		msg += "..."
	}
	return msg
}

func alertHostMessage(h *client.Host, color bool) string {
	if h == nil {
		return ""
	}
	status := h.Status
	if h.IsRetired {
		status = "retired"
	}
	services := make([]string, 0, len(h.Roles))
	for svc := range h.Roles {
		services = append(services, svc)
	}
	sort.Strings(services)
	var roles []string
	for _, svc := range services {
		roles = append(roles, svc+":"+strings.Join(h.Roles[svc], ","))
	}
	return fmt.Sprintf(" %s %s [%s]", h.Name, colorHostStatus(status, color), strings.Join(roles, ", "))
}

func colorStatus(status string, on bool) string {
	if !on {
		return status
	}
	switch status {
	case "CRITICAL":
		return cmdutil.ANSIRed + status + cmdutil.ANSIReset
	case "WARNING":
		return cmdutil.ANSIYellow + status + cmdutil.ANSIReset
	case "OK":
		return cmdutil.ANSIGreen + status + cmdutil.ANSIReset
	}
	return status
}

func colorHostStatus(status string, on bool) string {
	if !on {
		return status
	}
	switch status {
	case "working":
		return "\x1b[34m" + status + cmdutil.ANSIReset
	case "standby":
		return cmdutil.ANSIGreen + status + cmdutil.ANSIReset
	case "maintenance":
		return cmdutil.ANSIYellow + status + cmdutil.ANSIReset
	}
	return status
}
