// Package downtime is the model of a downtime (/api/v0/downtimes): its Go
// form and wire JSON (Decode, Encode), its validation (Validate), when it is
// in force (ActiveAt, Window) and which alerts it silences (Covers). It
// holds no storage: package store keeps a downtime as the canonical JSON
// Encode produces, and package engine asks ActiveAt and Covers before it
// opens an alert.
//
// # When a downtime is in force
//
// An occurrence starts at Start and lasts Duration minutes; the window is
// half-open, [start, start+duration). Without a recurrence there is one
// occurrence. A recurrence repeats it every Interval units, computed in
// calendar terms in the location the caller passes (the backend's time
// zone), keeping the wall-clock time of Start:
//
//   - hourly: every Interval hours after Start (elapsed time, so a DST
//     change moves the wall-clock time, never the spacing);
//   - daily: every Interval days, at Start's time of day;
//   - weekly: every Interval weeks, on each of Weekdays (Start's weekday
//     when none are listed), at Start's time of day. Weeks begin on Monday
//     (as RFC 5545's default WKST) and are counted from Start's week, so
//     with Interval 2 the listed days of Start's week, of two weeks later,
//     and so on. Start itself is an occurrence only if its weekday is
//     listed; listed days of Start's week before Start are not;
//   - monthly: every Interval months on Start's day of the month. A day
//     the month does not have becomes the month's last day: a downtime that
//     starts on the 31st runs on the 30th of a 30-day month and on the 28th
//     or 29th of February (Mackerel documents this for the 31st), and the
//     next month is back on the 31st;
//   - yearly: every Interval years on Start's month and day; the 29th of
//     February becomes the 28th in other years.
//
// A wall-clock time that does not exist on a given day (a DST gap) is
// read with the offset before the gap, so it moves forward by the gap
// (02:30 becomes 03:30), as in RFC 5545. Until, when set, ends the
// recurrence: an occurrence that starts before Until runs its full
// duration; none starts at or after it. Occurrences may overlap (a weekly
// downtime on Monday and Tuesday lasting two days); the downtime is then
// in force until the last of them ends.
//
// Mackerel ignores the part beyond 24 hours of a downtime that starts on a
// Sunday; this model does not copy that quirk.
//
// # Which alerts a downtime silences
//
// Covers takes an alert's target: its monitor, the service of a service or
// external monitor, and the services and roles of the alert's host. The
// scopes form two filters that must both pass (AND):
//
//   - services and roles: with no serviceScopes and no roleScopes every
//     target passes; otherwise a target passes when one of its services is
//     in serviceScopes or one of its roles is in roleScopes (a role scope
//     narrows a service the downtime does not name as a whole, so together
//     they are a union: "service db, and role app of service web");
//   - monitors: with no monitorScopes every monitor passes; otherwise the
//     alert's monitor must be listed.
//
// Exclusions win over everything: a target with any service in
// serviceExcludeScopes, any role in roleExcludeScopes, or whose monitor is
// in monitorExcludeScopes is never covered. A downtime with no scopes at
// all covers every monitor. A target without services or roles (an
// expression monitor's alert) passes the first filter only when the
// downtime has no service or role scopes.
package downtime

import "time"

// Recurrence types, as the API names them.
const (
	Hourly  = "hourly"
	Daily   = "daily"
	Weekly  = "weekly"
	Monthly = "monthly"
	Yearly  = "yearly"
)

// RecurrenceTypes lists the recurrence types in the API's order.
var RecurrenceTypes = []string{Hourly, Daily, Weekly, Monthly, Yearly}

// Weekdays are the names the API uses for weekdays, indexed by
// time.Weekday.
var Weekdays = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

// Downtime is one downtime. The JSON tags, field order and omissions are
// the wire form (mackerel-client-go's Downtime): Encode marshals this
// struct as it is.
type Downtime struct {
	ID                   string      `json:"id,omitempty"`
	Name                 string      `json:"name"`
	Memo                 string      `json:"memo,omitempty"`
	Start                int64       `json:"start"`    // epoch seconds
	Duration             int64       `json:"duration"` // minutes
	Recurrence           *Recurrence `json:"recurrence,omitempty"`
	ServiceScopes        []string    `json:"serviceScopes,omitempty"`
	ServiceExcludeScopes []string    `json:"serviceExcludeScopes,omitempty"`
	RoleScopes           []string    `json:"roleScopes,omitempty"` // "service: role"
	RoleExcludeScopes    []string    `json:"roleExcludeScopes,omitempty"`
	MonitorScopes        []string    `json:"monitorScopes,omitempty"` // monitor ids
	MonitorExcludeScopes []string    `json:"monitorExcludeScopes,omitempty"`
}

// Recurrence repeats a downtime.
type Recurrence struct {
	Type     string   `json:"type"`
	Interval int64    `json:"interval"`
	Weekdays []string `json:"weekdays,omitempty"` // weekly only; names of Weekdays
	Until    int64    `json:"until,omitempty"`    // epoch seconds; 0: forever
}

// weekday returns the time.Weekday of an API weekday name.
func weekday(name string) (time.Weekday, bool) {
	for i, n := range Weekdays {
		if n == name {
			return time.Weekday(i), true
		}
	}
	return 0, false
}
