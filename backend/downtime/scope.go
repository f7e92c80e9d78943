package downtime

import (
	"slices"
	"strings"
)

// Target is what an alert would be about, as far as downtimes care.
type Target struct {
	// MonitorID is the alert's monitor (check monitors included).
	MonitorID string
	// Service is the monitor's service, for service and external
	// monitors; "" otherwise.
	Service string
	// HostRoles maps each service of the alert's host to the host's roles
	// in it; nil when the alert has no host.
	HostRoles map[string][]string
}

// Covers reports whether d silences alerts on t (see the package comment
// for the rules). It does not look at time: see ActiveAt.
func (d *Downtime) Covers(t Target) bool {
	if slices.Contains(d.MonitorExcludeScopes, t.MonitorID) {
		return false
	}
	if len(d.MonitorScopes) > 0 && !slices.Contains(d.MonitorScopes, t.MonitorID) {
		return false
	}
	if t.touches(d.ServiceExcludeScopes, d.RoleExcludeScopes) {
		return false
	}
	if len(d.ServiceScopes) == 0 && len(d.RoleScopes) == 0 {
		return true
	}
	return t.touches(d.ServiceScopes, d.RoleScopes)
}

// touches reports whether one of t's services is in services or one of
// its roles is in roles ("service: role").
func (t Target) touches(services, roles []string) bool {
	if len(services) == 0 && len(roles) == 0 {
		return false
	}
	if t.Service != "" && slices.Contains(services, t.Service) {
		return true
	}
	for svc, rs := range t.HostRoles {
		if slices.Contains(services, svc) {
			return true
		}
		for _, r := range rs {
			if slices.Contains(roles, RoleScope(svc, r)) {
				return true
			}
		}
	}
	return false
}

// RoleScope is the canonical form of a role in a scope: "service: role",
// as the API documents it.
func RoleScope(service, role string) string { return service + ": " + role }

// ParseRoleScope splits "service: role" (or "service:role") into its
// service and role, trimming blanks around each. ok is false when there is
// no colon, or more than one.
func ParseRoleScope(s string) (service, role string, ok bool) {
	service, role, ok = strings.Cut(s, ":")
	if !ok || strings.Contains(role, ":") {
		return "", "", false
	}
	return strings.TrimSpace(service), strings.TrimSpace(role), true
}
