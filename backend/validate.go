package backend

import (
	"regexp"
	"slices"

	"github.com/mkr-dev/mkr/client"
)

var (
	// Service and role names: 2–63 of [A-Za-z0-9_-], not starting with - or _.
	serviceNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{1,62}$`)
	namespaceRe   = regexp.MustCompile(`^[-a-zA-Z0-9_]+$`)
	checkNameRe   = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
)

func validServiceName(s string) bool { return serviceNameRe.MatchString(s) }

func validHostStatus(s string) bool { return slices.Contains(client.HostStatuses, s) }

func checkServiceName(kind, name string) error {
	if !validServiceName(name) {
		return badRequest("Invalid %s name %q: use 2 to 63 of A-Z a-z 0-9 _ -, not starting with _ or -.", kind, name)
	}
	return nil
}

func checkHostStatus(s string) error {
	if !validHostStatus(s) {
		return badRequest("Invalid status %q: must be one of working, standby, maintenance, poweroff.", s)
	}
	return nil
}
