package downtime

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits. The hosted API documents that name, memo, duration and interval
// are limited without saying how; these are this backend's choices.
const (
	MaxName     = 250  // characters
	MaxMemo     = 2048 // characters, as a monitor's memo
	MaxInterval = 1000
	// MaxEpoch is the last second of the year 9999: starts, ends and
	// untils beyond it are refused, which keeps every computation far
	// from overflowing.
	MaxEpoch = 253402300799
)

// Error is a downtime that breaks a rule: the backend answers 400 with
// Message, which names the offending key.
type Error struct {
	Field   string // "name", "recurrence.interval", "roleScopes", …; "" for the whole body
	Message string
}

func (e *Error) Error() string { return e.Message }

func invalid(field, format string, args ...any) *Error {
	return &Error{Field: field, Message: field + " " + fmt.Sprintf(format, args...)}
}

// Lookup answers whether what a scope names exists. Its errors are
// failures (a broken database), not answers; Validate returns them as
// they are.
type Lookup interface {
	ServiceExists(name string) (bool, error)
	RoleExists(service, role string) (bool, error)
	// MonitorExists covers every monitor, check monitors included.
	MonitorExists(id string) (bool, error)
}

// nameRe is the documented form of service and role names in scopes.
var nameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]+$`)

// Validate checks d against the API's rules, in the order of its keys, and
// then asks lk whether every scope exists. A broken rule is an *Error.
func Validate(d *Downtime, lk Lookup) error {
	if err := validateFields(d); err != nil {
		return err
	}
	if err := validateScopes(d); err != nil {
		return err
	}
	return checkExistence(d, lk)
}

func validateFields(d *Downtime) error {
	switch {
	case strings.TrimSpace(d.Name) == "":
		return invalid("name", "is required.")
	case utf8.RuneCountInString(d.Name) > MaxName:
		return invalid("name", "must be at most %d characters.", MaxName)
	case utf8.RuneCountInString(d.Memo) > MaxMemo:
		return invalid("memo", "must be at most %d characters.", MaxMemo)
	case d.Start <= 0 || d.Start > MaxEpoch:
		return invalid("start", "must be epoch seconds from 1 to %d.", int64(MaxEpoch))
	case d.Duration <= 0:
		return invalid("duration", "must be a positive number of minutes.")
	case d.Duration > (MaxEpoch-d.Start)/60:
		return invalid("duration", "is too long: the downtime would end after the year 9999.")
	}
	r := d.Recurrence
	if r == nil {
		return nil
	}
	switch {
	case !slices.Contains(RecurrenceTypes, r.Type):
		return invalid("recurrence.type", "must be one of %s, not %q.", strings.Join(RecurrenceTypes, ", "), r.Type)
	case r.Interval < 1 || r.Interval > MaxInterval:
		return invalid("recurrence.interval", "must be from 1 to %d.", MaxInterval)
	case len(r.Weekdays) > 0 && r.Type != Weekly:
		return invalid("recurrence.weekdays", "is only allowed when recurrence.type is weekly.")
	case r.Until != 0 && r.Until <= d.Start:
		return invalid("recurrence.until", "must be after start.")
	case r.Until > MaxEpoch:
		return invalid("recurrence.until", "must be epoch seconds up to %d.", int64(MaxEpoch))
	}
	for i, w := range r.Weekdays {
		if _, ok := weekday(w); !ok {
			return invalid("recurrence.weekdays", "must name days from %s: %q is not one.", strings.Join(Weekdays[:], ", "), w)
		}
		if slices.Contains(r.Weekdays[:i], w) {
			return invalid("recurrence.weekdays", "has %q twice.", w)
		}
	}
	return nil
}

// validateScopes checks the form of each scope and refuses redundant ones:
// repeats, a value both included and excluded, and a role whose service is
// already included or excluded as a whole.
func validateScopes(d *Downtime) error {
	lists := []struct {
		field  string
		values []string
		role   bool
	}{
		{"serviceScopes", d.ServiceScopes, false},
		{"serviceExcludeScopes", d.ServiceExcludeScopes, false},
		{"roleScopes", d.RoleScopes, true},
		{"roleExcludeScopes", d.RoleExcludeScopes, true},
		{"monitorScopes", d.MonitorScopes, false},
		{"monitorExcludeScopes", d.MonitorExcludeScopes, false},
	}
	for _, l := range lists {
		for i, v := range l.values {
			if err := scopeForm(l.field, v, l.role); err != nil {
				return err
			}
			if slices.Contains(l.values[:i], v) {
				return invalid(l.field, "has %q twice.", v)
			}
		}
	}
	for _, pair := range [][2]string{{"serviceScopes", "serviceExcludeScopes"}, {"roleScopes", "roleExcludeScopes"}, {"monitorScopes", "monitorExcludeScopes"}} {
		in, out := fieldValues(d, pair[0]), fieldValues(d, pair[1])
		for _, v := range out {
			if slices.Contains(in, v) {
				return invalid(pair[1], "has %q, which %s includes.", v, pair[0])
			}
		}
	}
	// A role of an included service adds nothing, nor does excluding a
	// role of an excluded one; including a role of an excluded service
	// can never take effect. Excluding a role of an included service is
	// what role exclusions are for.
	for _, c := range []struct{ roles, services, format string }{
		{"roleScopes", "serviceScopes", "has %q, which is redundant: %s names its service %q."},
		{"roleScopes", "serviceExcludeScopes", "has %q, which %s excludes as a whole (service %q)."},
		{"roleExcludeScopes", "serviceExcludeScopes", "has %q, which is redundant: %s names its service %q."},
	} {
		services := fieldValues(d, c.services)
		for _, r := range fieldValues(d, c.roles) {
			if svc, _, _ := ParseRoleScope(r); slices.Contains(services, svc) {
				return invalid(c.roles, c.format, r, c.services, svc)
			}
		}
	}
	return nil
}

func scopeForm(field, v string, role bool) error {
	if strings.HasPrefix(field, "monitor") {
		if strings.TrimSpace(v) == "" {
			return invalid(field, "must hold monitor ids, not %q.", v)
		}
		return nil
	}
	if !role {
		if !nameRe.MatchString(v) {
			return invalid(field, "must hold service names (A-Z a-z 0-9 _ -, at least 2): %q is not one.", v)
		}
		return nil
	}
	svc, r, ok := ParseRoleScope(v)
	if !ok || !nameRe.MatchString(svc) || !nameRe.MatchString(r) {
		return invalid(field, "must hold roles as \"service: role\": %q is not one.", v)
	}
	return nil
}

func fieldValues(d *Downtime, field string) []string {
	switch field {
	case "serviceScopes":
		return d.ServiceScopes
	case "serviceExcludeScopes":
		return d.ServiceExcludeScopes
	case "roleScopes":
		return d.RoleScopes
	case "roleExcludeScopes":
		return d.RoleExcludeScopes
	case "monitorScopes":
		return d.MonitorScopes
	default:
		return d.MonitorExcludeScopes
	}
}

func checkExistence(d *Downtime, lk Lookup) error {
	for _, f := range []string{"serviceScopes", "serviceExcludeScopes"} {
		for _, s := range fieldValues(d, f) {
			ok, err := lk.ServiceExists(s)
			if err != nil {
				return err
			}
			if !ok {
				return invalid(f, "has %q, which is not a service.", s)
			}
		}
	}
	for _, f := range []string{"roleScopes", "roleExcludeScopes"} {
		for _, s := range fieldValues(d, f) {
			svc, role, _ := ParseRoleScope(s)
			ok, err := lk.RoleExists(svc, role)
			if err != nil {
				return err
			}
			if !ok {
				return invalid(f, "has %q, which is not a role.", s)
			}
		}
	}
	for _, f := range []string{"monitorScopes", "monitorExcludeScopes"} {
		for _, id := range fieldValues(d, f) {
			ok, err := lk.MonitorExists(id)
			if err != nil {
				return err
			}
			if !ok {
				return invalid(f, "has %q, which is not a monitor.", id)
			}
		}
	}
	return nil
}
