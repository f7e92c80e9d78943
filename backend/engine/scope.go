package engine

import (
	"slices"
	"strings"

	"github.com/mkr-dev/mkr/backend/store"
)

// inScope reports whether a host is watched by a monitor with these
// scopes: every host when scopes is empty, else a host with a role in a
// scoped service ("Service") or the scoped role ("Service: role"), and in
// either case not one matching an exclude scope.
func inScope(h *store.Host, scopes, excludes []string) bool {
	if slices.ContainsFunc(excludes, func(s string) bool { return matchesScope(h, s) }) {
		return false
	}
	return len(scopes) == 0 || slices.ContainsFunc(scopes, func(s string) bool { return matchesScope(h, s) })
}

// matchesScope matches "Service", "Service:role" or "Service: role".
func matchesScope(h *store.Host, scope string) bool {
	svc, role, hasRole := strings.Cut(scope, ":")
	svc, role = strings.TrimSpace(svc), strings.TrimSpace(role)
	roles, ok := h.Roles[svc]
	if !ok {
		return false
	}
	return !hasRole || slices.Contains(roles, role)
}
