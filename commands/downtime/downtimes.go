// Package downtime holds `mkr downtimes`: list, create, update and delete
// the periods during which matching alerts are not raised.
package downtime

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/backend/downtime"
	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func NewCmdDowntimes(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "downtimes",
		Usage:     "List, create, update and delete downtimes",
		ArgsUsage: "[--jq <formula>] [--output json|table]",
		Description: `List downtimes as JSON (a table on a terminal, with each one's current or next window), oldest
   first. During a downtime, alerts of the monitors in its scopes are not raised at all.
   Times are "now", "now+1h", "2026-12-24 09:00" (local time), RFC 3339 or epoch seconds;
   durations 90m, 2h, 1d. Recurrences follow the calendar of the backend's time zone.
   Requests "GET /api/v0/downtimes". See https://mackerel.io/api-docs/entry/downtimes .

   Example:
     mkr downtimes --jq '.[].name'`,
		Flags: []cli.Flag{cmdutil.JQFlag(), cmdutil.OutputFlag()},
		Action: func(c *cli.Context) error {
			return runDowntimes(c.Context, f, cmdutil.PrintOptionsFrom(c))
		},
		Subcommands: []*cli.Command{
			newCmdCreate(f),
			newCmdUpdate(f),
			newCmdDelete(f),
		},
	}
}

func runDowntimes(ctx context.Context, f *cmdutil.Factory, opts cmdutil.PrintOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	list, err := cl.FindDowntimes(ctx)
	if err != nil {
		return err
	}
	return f.Printer(opts).Print(cmdutil.Output{JSON: list, Table: func() *cmdutil.Table {
		return downtimesTable(list, f.Now(), f.TimeZone())
	}})
}

// downtimesTable shows times in loc, and each downtime's window: the one
// in force at now or the next one, computed with the backend's own rules
// in loc (the backend's zone in local mode).
func downtimesTable(list []*client.Downtime, now time.Time, loc *time.Location) *cmdutil.Table {
	t := &cmdutil.Table{Header: []string{"id", "name", "start", "duration", "recurrence", "scopes", "window"}}
	for _, d := range list {
		t.Rows = append(t.Rows, []string{d.ID, d.Name, clock(d.Start, loc), formatMinutes(d.Duration),
			recurrenceText(d.Recurrence, loc), scopesText(d), windowText(d, now, loc)})
	}
	return t
}

func clock(epoch int64, loc *time.Location) string {
	return time.Unix(epoch, 0).In(loc).Format("2006-01-02 15:04")
}

// recurrenceText reads like "every 2 weeks on Mon, Thu until 2026-12-31 00:00".
func recurrenceText(r *client.DowntimeRecurrence, loc *time.Location) string {
	if r == nil {
		return "once"
	}
	unit := map[string]string{"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month", "yearly": "year"}[r.Type]
	s := r.Type
	if r.Interval > 1 {
		s = fmt.Sprintf("every %d %ss", r.Interval, unit)
	}
	if len(r.Weekdays) > 0 {
		short := make([]string, len(r.Weekdays))
		for i, w := range r.Weekdays {
			short[i] = w[:min(3, len(w))]
		}
		s += " on " + strings.Join(short, ", ")
	}
	if r.Until != 0 {
		s += " until " + clock(r.Until, loc)
	}
	return s
}

// scopesText lists what the downtime covers: "all" with no scopes;
// exclusions prefixed with "not".
func scopesText(d *client.Downtime) string {
	var parts []string
	add := func(prefix string, vals []string) {
		for _, v := range vals {
			parts = append(parts, prefix+v)
		}
	}
	add("", d.ServiceScopes)
	add("", d.RoleScopes)
	add("monitor ", d.MonitorScopes)
	add("not ", d.ServiceExcludeScopes)
	add("not ", d.RoleExcludeScopes)
	add("not monitor ", d.MonitorExcludeScopes)
	if len(parts) == 0 {
		return "all"
	}
	return strings.Join(parts, ", ")
}

func windowText(d *client.Downtime, now time.Time, loc *time.Location) string {
	start, end, ok := toModel(d).Window(now, loc)
	switch {
	case !ok:
		return "over"
	case !start.After(now):
		return "active until " + clock(end.Unix(), loc)
	default:
		return clock(start.Unix(), loc) + " to " + clock(end.Unix(), loc)
	}
}

// toModel converts the wire type to the backend's model (the same JSON),
// whose schedule rules the table reuses rather than repeats.
func toModel(d *client.Downtime) *downtime.Downtime {
	m := &downtime.Downtime{ID: d.ID, Name: d.Name, Start: d.Start, Duration: d.Duration}
	if r := d.Recurrence; r != nil {
		m.Recurrence = &downtime.Recurrence{Type: r.Type, Interval: r.Interval, Weekdays: r.Weekdays, Until: r.Until}
	}
	return m
}
