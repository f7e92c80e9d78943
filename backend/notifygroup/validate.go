package notifygroup

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mkr-dev/mkr/backend/downtime"
)

// Limits. The API documents none for names and memos; these are this
// backend's choices (a downtime's). notificationInterval's minimum is the
// API's, as for monitors.
const (
	MaxName                 = 250  // characters
	MaxMemo                 = 2048 // characters
	MinNotificationInterval = 10   // minutes
)

// Lookup is what validation needs to know of the rest of the
// organization. Its errors are failures to find out (a broken database),
// returned as they are; only "does not exist" makes a definition invalid.
type Lookup interface {
	ChannelExists(id string) (bool, error)
	// GroupChildren returns the child group ids of notification group id
	// as stored; ok is false when there is no such group.
	GroupChildren(id string) (children []string, ok bool, err error)
	// MonitorExists covers every monitor, check monitors included.
	MonitorExists(id string) (bool, error)
	ServiceExists(name string) (bool, error)
	RoleExists(service, role string) (bool, error)
}

// ValidateGroup checks a normalized group that is to be written (g.ID
// set, IsDefault as stored) and returns the first broken rule as an
// *Error naming the field, or an error of lk. Every group, channel,
// monitor and service named must exist, and child groups must not make a
// cycle.
func ValidateGroup(g *Group, lk Lookup) error {
	switch {
	case strings.TrimSpace(g.Name) == "":
		return errorf("name is required.")
	case utf8.RuneCountInString(g.Name) > MaxName:
		return errorf("name must be at most %d characters.", MaxName)
	case g.NotificationLevel != LevelAll && g.NotificationLevel != LevelCritical:
		return errorf("notificationLevel must be all or critical, not %q.", g.NotificationLevel)
	case g.IsDefault && len(g.Monitors) > 0:
		return errorf("monitors: the default notification group takes every alert and cannot be limited to monitors.")
	case g.IsDefault && len(g.Services) > 0:
		return errorf("services: the default notification group takes every alert and cannot be limited to services.")
	}
	for _, id := range g.ChildGroupIDs {
		if id == g.ID {
			return errorf("childNotificationGroupIds: a group cannot be its own child.")
		}
		if _, ok, err := lk.GroupChildren(id); err != nil || !ok {
			return orInvalid(err, "childNotificationGroupIds: %q is not a notification group.", id)
		}
	}
	if err := checkCycles(g, lk); err != nil {
		return err
	}
	for _, id := range g.ChildChannelIDs {
		if ok, err := lk.ChannelExists(id); err != nil || !ok {
			return orInvalid(err, "childChannelIds: %q is not a channel.", id)
		}
	}
	for i, m := range g.Monitors {
		if strings.TrimSpace(m.ID) == "" {
			return errorf("monitors[%d].id is required.", i)
		}
		if ok, err := lk.MonitorExists(m.ID); err != nil || !ok {
			return orInvalid(err, "monitors: %q is not a monitor.", m.ID)
		}
	}
	for i, s := range g.Services {
		if strings.TrimSpace(s.Name) == "" {
			return errorf("services[%d].name is required.", i)
		}
		if ok, err := lk.ServiceExists(s.Name); err != nil || !ok {
			return orInvalid(err, "services: %q is not a service.", s.Name)
		}
	}
	return nil
}

// orInvalid returns err when there is one (a failed lookup), and the
// formatted *Error otherwise.
func orInvalid(err error, format string, args ...any) error {
	if err != nil {
		return err
	}
	return errorf(format, args...)
}

// checkCycles follows child groups from g (g's own children as given, the
// others' as stored) and refuses a path that leads back to g.
func checkCycles(g *Group, lk Lookup) error {
	seen := map[string]bool{}
	var walk func(path []string) error
	walk = func(path []string) error {
		id := path[len(path)-1]
		children := g.ChildGroupIDs
		if id != g.ID {
			if seen[id] {
				return nil
			}
			seen[id] = true
			var err error
			if children, _, err = lk.GroupChildren(id); err != nil {
				return err
			}
		}
		for _, c := range children {
			if c == g.ID {
				return errorf("childNotificationGroupIds: %q would make a cycle: %s.", path[1], strings.Join(append(path, c), " → "))
			}
			if err := walk(append(slices.Clip(path), c)); err != nil {
				return err
			}
		}
		return nil
	}
	return walk([]string{g.ID})
}

// MergeGroup applies an update (the decoded PUT body) to the stored group
// cur and returns the new group, normalized, for ValidateGroup. PUT
// replaces the whole definition, as the API documents; the id and whether
// the group is the default stay. The default group cannot be renamed: a
// different name is an *Error, an empty one keeps the name.
func MergeGroup(cur, upd *Group) (*Group, error) {
	next := *upd
	next.ID, next.IsDefault = cur.ID, cur.IsDefault
	if cur.IsDefault {
		switch next.Name {
		case "":
			next.Name = cur.Name
		case cur.Name:
		default:
			return nil, errorf("name of the default notification group cannot be changed (from %q to %q).", cur.Name, next.Name)
		}
	}
	next.Normalize()
	return &next, nil
}

// PruneGroup drops from g what no longer exists — channels, child groups,
// monitors and services deleted since g was written — and reports whether
// anything was dropped. Deleting a channel or a group removes it from
// every group at once (package store); monitors and services are deleted
// elsewhere, so whoever reads a group prunes it: a dangling reference is
// never answered nor routed to.
func PruneGroup(g *Group, lk Lookup) (bool, error) {
	var failed error
	keep := func(ok bool, err error) bool {
		if err != nil && failed == nil {
			failed = err
		}
		return ok || err != nil
	}
	n := len(g.ChildGroupIDs) + len(g.ChildChannelIDs) + len(g.Monitors) + len(g.Services)
	g.ChildGroupIDs = slices.DeleteFunc(g.ChildGroupIDs, func(id string) bool {
		_, ok, err := lk.GroupChildren(id)
		return !keep(ok, err)
	})
	g.ChildChannelIDs = slices.DeleteFunc(g.ChildChannelIDs, func(id string) bool { return !keep(lk.ChannelExists(id)) })
	g.Monitors = slices.DeleteFunc(g.Monitors, func(m MonitorRule) bool { return !keep(lk.MonitorExists(m.ID)) })
	g.Services = slices.DeleteFunc(g.Services, func(s ServiceRule) bool { return !keep(lk.ServiceExists(s.Name)) })
	if failed != nil {
		return false, failed
	}
	return len(g.ChildGroupIDs)+len(g.ChildChannelIDs)+len(g.Monitors)+len(g.Services) != n, nil
}

// nameRe is the documented form of service and role names in scopes.
var nameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]+$`)

// ValidateSetting checks a normalized alert group setting and returns
// the first broken rule as an *Error naming the field, or an error of lk.
// Scopes must be well formed, not repeated, and name existing services,
// roles and monitors.
func ValidateSetting(s *AlertGroupSetting, lk Lookup) error {
	switch {
	case strings.TrimSpace(s.Name) == "":
		return errorf("name is required.")
	case utf8.RuneCountInString(s.Name) > MaxName:
		return errorf("name must be at most %d characters.", MaxName)
	case utf8.RuneCountInString(s.Memo) > MaxMemo:
		return errorf("memo must be at most %d characters.", MaxMemo)
	case s.NotificationInterval != 0 && s.NotificationInterval < MinNotificationInterval:
		return errorf("notificationInterval must be at least %d (minutes), or omitted for no re-notification.", MinNotificationInterval)
	}
	for i, v := range s.ServiceScopes {
		switch {
		case !nameRe.MatchString(v):
			return errorf("serviceScopes must hold service names (A-Z a-z 0-9 _ -, at least 2): %q is not one.", v)
		case slices.Contains(s.ServiceScopes[:i], v):
			return errorf("serviceScopes has %q twice.", v)
		}
		if ok, err := lk.ServiceExists(v); err != nil || !ok {
			return orInvalid(err, "serviceScopes has %q, which is not a service.", v)
		}
	}
	for i, v := range s.RoleScopes {
		svc, role, ok := downtime.ParseRoleScope(v)
		switch {
		case !ok || !nameRe.MatchString(svc) || !nameRe.MatchString(role):
			return errorf("roleScopes must hold roles as \"service: role\": %q is not one.", v)
		case slices.Contains(s.RoleScopes[:i], v):
			return errorf("roleScopes has %q twice.", v)
		}
		if ok, err := lk.RoleExists(svc, role); err != nil || !ok {
			return orInvalid(err, "roleScopes has %q, which is not a role.", v)
		}
	}
	for i, v := range s.MonitorScopes {
		switch {
		case strings.TrimSpace(v) == "":
			return errorf("monitorScopes must hold monitor ids, not %q.", v)
		case slices.Contains(s.MonitorScopes[:i], v):
			return errorf("monitorScopes has %q twice.", v)
		}
		if ok, err := lk.MonitorExists(v); err != nil || !ok {
			return orInvalid(err, "monitorScopes has %q, which is not a monitor.", v)
		}
	}
	return nil
}

// MergeSetting applies an update to the stored setting cur: PUT replaces
// the whole definition ("the same format as create"); the id stays.
func MergeSetting(cur, upd *AlertGroupSetting) *AlertGroupSetting {
	next := *upd
	next.ID = cur.ID
	next.Normalize()
	return &next
}

// PruneSetting drops the scopes that name services, roles or monitors
// deleted since s was written, and reports whether anything was dropped
// (see PruneGroup).
func PruneSetting(s *AlertGroupSetting, lk Lookup) (bool, error) {
	var failed error
	keep := func(ok bool, err error) bool {
		if err != nil && failed == nil {
			failed = err
		}
		return ok || err != nil
	}
	n := len(s.ServiceScopes) + len(s.RoleScopes) + len(s.MonitorScopes)
	s.ServiceScopes = slices.DeleteFunc(s.ServiceScopes, func(v string) bool { return !keep(lk.ServiceExists(v)) })
	s.RoleScopes = slices.DeleteFunc(s.RoleScopes, func(v string) bool {
		svc, role, ok := downtime.ParseRoleScope(v)
		return ok && !keep(lk.RoleExists(svc, role))
	})
	s.MonitorScopes = slices.DeleteFunc(s.MonitorScopes, func(v string) bool { return !keep(lk.MonitorExists(v)) })
	if failed != nil {
		return false, failed
	}
	return len(s.ServiceScopes)+len(s.RoleScopes)+len(s.MonitorScopes) != n, nil
}
