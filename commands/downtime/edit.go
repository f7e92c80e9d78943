package downtime

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

// scopeFlags maps each scope flag to its wire key.
var scopeFlags = []struct{ flag, key, usage string }{
	{"service-scope", "serviceScopes", "only alerts of `SERVICE`"},
	{"service-exclude-scope", "serviceExcludeScopes", "never alerts of `SERVICE`"},
	{"role-scope", "roleScopes", "only alerts of hosts in `ROLE` (\"service: role\")"},
	{"role-exclude-scope", "roleExcludeScopes", "never alerts of hosts in `ROLE` (\"service: role\")"},
	{"monitor-scope", "monitorScopes", "only alerts of the monitor `ID`"},
	{"monitor-exclude-scope", "monitorExcludeScopes", "never alerts of the monitor `ID`"},
}

// editFlags are the definition flags of create and update.
func editFlags(update bool) []cli.Flag {
	startUsage, listNote := "when the first occurrence starts: `TIME` (default now)", " (repeatable)"
	if update {
		startUsage, listNote = "new start `TIME`", " (repeatable; replaces the list, \"\" empties it)"
	}
	flags := []cli.Flag{
		&cli.StringFlag{Name: "name", Aliases: []string{"n"}, Usage: "downtime `NAME`"},
		&cli.StringFlag{Name: "memo", Usage: "a `NOTE` on the downtime"},
		&cli.StringFlag{Name: "start", Usage: startUsage},
		&cli.StringFlag{Name: "duration", Usage: "how long each occurrence lasts: `DURATION` such as 90m, 2h, 1d"},
		&cli.StringFlag{Name: "recurrence-type", Usage: "repeat `EVERY` hourly, daily, weekly, monthly or yearly"},
		&cli.Int64Flag{Name: "recurrence-interval", Value: 1, Usage: "repeat every `N` hours, days, …"},
		&cli.StringSliceFlag{Name: "weekday", Usage: "weekly: on `DAY` (Monday or Mon; repeatable; default the start's weekday)"},
		&cli.StringFlag{Name: "until", Usage: "no occurrence starts at or after `TIME`"},
	}
	if update {
		flags = append(flags,
			&cli.BoolFlag{Name: "no-recurrence", Usage: "make the downtime happen once"},
			&cli.BoolFlag{Name: "no-until", Usage: "let the recurrence go on forever"})
	}
	for _, s := range scopeFlags {
		flags = append(flags, &cli.StringSliceFlag{Name: s.flag, Usage: s.usage + listNote})
	}
	return append(flags, cmdutil.JQFlag())
}

// edits are the definition flags a person gave; nil means not given.
type edits struct {
	Name, Memo            *string
	Start, Duration       *int64
	RecurrenceType        *string
	Interval              *int64
	Weekdays              *[]string
	Until                 *int64
	NoRecurrence, NoUntil bool
	Scopes                map[string][]string // wire key → values, for the flags given
	// recurrenceFlagsGiven names the recurrence flags given, for errors.
	recurrenceFlagsGiven []string
}

// parseEdits reads the definition flags of c; times are read against f's
// clock and time zone.
func parseEdits(c *cli.Context, f *cmdutil.Factory) (edits, error) {
	var e edits
	str := func(name string) *string {
		if !c.IsSet(name) {
			return nil
		}
		v := c.String(name)
		return &v
	}
	e.Name, e.Memo, e.RecurrenceType = str("name"), str("memo"), str("recurrence-type")
	now, loc := f.Now(), f.TimeZone()
	for _, t := range []struct {
		flag string
		to   **int64
	}{{"start", &e.Start}, {"until", &e.Until}} {
		if !c.IsSet(t.flag) {
			continue
		}
		v, err := parseTime(c.String(t.flag), now, loc)
		if err != nil {
			return e, cmdutil.UsageError(c, "--%s: %s", t.flag, err)
		}
		*t.to = &v
	}
	if c.IsSet("duration") {
		m, err := parseMinutes(c.String("duration"))
		if err != nil {
			return e, cmdutil.UsageError(c, "--duration: %s", err)
		}
		e.Duration = &m
	}
	if e.RecurrenceType != nil && !slices.Contains(client.DowntimeRecurrenceTypes, *e.RecurrenceType) {
		return e, cmdutil.UsageError(c, "--recurrence-type must be one of %s, not %q", strings.Join(client.DowntimeRecurrenceTypes, ", "), *e.RecurrenceType)
	}
	if c.IsSet("recurrence-interval") {
		n := c.Int64("recurrence-interval")
		if n < 1 {
			return e, cmdutil.UsageError(c, "--recurrence-interval must be at least 1")
		}
		e.Interval = &n
	}
	if c.IsSet("weekday") {
		days := []string{}
		for _, s := range c.StringSlice("weekday") {
			name, ok := weekdayName(s)
			if !ok {
				return e, cmdutil.UsageError(c, "--weekday: %q is not a day of the week (Monday, Mon, …)", s)
			}
			if !slices.Contains(days, name) {
				days = append(days, name)
			}
		}
		e.Weekdays = &days
	}
	e.NoRecurrence, e.NoUntil = c.Bool("no-recurrence"), c.Bool("no-until")
	for _, name := range []string{"recurrence-type", "recurrence-interval", "weekday", "until"} {
		if c.IsSet(name) {
			e.recurrenceFlagsGiven = append(e.recurrenceFlagsGiven, "--"+name)
		}
	}
	if e.NoRecurrence && len(e.recurrenceFlagsGiven) > 0 {
		return e, cmdutil.UsageError(c, "--no-recurrence cannot be combined with %s", strings.Join(e.recurrenceFlagsGiven, ", "))
	}
	if e.NoUntil && e.Until != nil {
		return e, cmdutil.UsageError(c, "--no-until cannot be combined with --until")
	}
	e.Scopes = map[string][]string{}
	for _, s := range scopeFlags {
		if !c.IsSet(s.flag) {
			continue
		}
		vals := []string{}
		for _, v := range c.StringSlice(s.flag) {
			if v = strings.TrimSpace(v); v != "" {
				vals = append(vals, v)
			}
		}
		e.Scopes[s.key] = vals
	}
	return e, nil
}

// apply changes d as e says, leaving what e does not mention alone.
func (e edits) apply(d *client.Downtime) error {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&d.Name, e.Name)
	set(&d.Memo, e.Memo)
	if e.Start != nil {
		d.Start = *e.Start
	}
	if e.Duration != nil {
		d.Duration = *e.Duration
	}
	if e.NoRecurrence {
		d.Recurrence = nil
	}
	if e.RecurrenceType != nil {
		if d.Recurrence == nil {
			d.Recurrence = &client.DowntimeRecurrence{Interval: 1}
		}
		if *e.RecurrenceType != "weekly" {
			d.Recurrence.Weekdays = nil
		}
		d.Recurrence.Type = *e.RecurrenceType
	}
	if d.Recurrence == nil && len(e.recurrenceFlagsGiven) > 0 {
		verb := "needs"
		if len(e.recurrenceFlagsGiven) > 1 {
			verb = "need"
		}
		return fmt.Errorf("%s %s --recurrence-type: the downtime does not recur", strings.Join(e.recurrenceFlagsGiven, ", "), verb)
	}
	if r := d.Recurrence; r != nil {
		if e.Interval != nil {
			r.Interval = *e.Interval
		}
		if e.Weekdays != nil {
			if r.Type != "weekly" {
				return fmt.Errorf("--weekday needs --recurrence-type weekly, not %s", r.Type)
			}
			r.Weekdays = *e.Weekdays
		}
		if e.Until != nil {
			r.Until = *e.Until
		}
		if e.NoUntil {
			r.Until = 0
		}
	}
	for key, vals := range e.Scopes {
		*scopeField(d, key) = vals
	}
	return nil
}

func scopeField(d *client.Downtime, key string) *[]string {
	switch key {
	case "serviceScopes":
		return &d.ServiceScopes
	case "serviceExcludeScopes":
		return &d.ServiceExcludeScopes
	case "roleScopes":
		return &d.RoleScopes
	case "roleExcludeScopes":
		return &d.RoleExcludeScopes
	case "monitorScopes":
		return &d.MonitorScopes
	case "monitorExcludeScopes":
		return &d.MonitorExcludeScopes
	}
	panic(fmt.Sprintf("unknown scope key %q", key))
}
