package client

import (
	"fmt"
	"regexp"
	"slices"
	"time"
)

// Limits and validation rules of the API, kept here once: the client
// checks input with them before sending, and the embedded backend enforces
// the same rules on what it receives.

// Per-request limits of the hosted API.
const (
	// MaxHostIDsPerBulkRequest bounds the ids of bulk-retire and
	// bulk-update-statuses.
	MaxHostIDsPerBulkRequest = 30
	// MaxCheckReportsPerRequest bounds POST /monitoring/checks/report.
	MaxCheckReportsPerRequest = 100
	// MaxMetricNameLength bounds a metric name; the API documents no
	// limit, but a name is a graph key, not a payload.
	MaxMetricNameLength = 255
	// MaxMetricTimeAhead bounds how far in the future a posted point may
	// be (the hosted API documents no bound; mkr's backend answers 400):
	// a later time is almost always milliseconds sent as seconds.
	MaxMetricTimeAhead = 10 * time.Minute
)

// Check statuses of a report.
const (
	CheckStatusOK       = "OK"
	CheckStatusWarning  = "WARNING"
	CheckStatusCritical = "CRITICAL"
	CheckStatusUnknown  = "UNKNOWN"
)

// CheckStatuses lists every valid check status.
var CheckStatuses = []string{CheckStatusOK, CheckStatusWarning, CheckStatusCritical, CheckStatusUnknown}

var (
	// Service and role names: 2–63 of [A-Za-z0-9_-], not starting with - or _.
	serviceNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{1,62}$`)
	checkNameRe   = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
	namespaceRe   = regexp.MustCompile(`^[-a-zA-Z0-9_]+$`)
)

// ValidateMetricName reports whether name may name a host or service
// metric: A-Z a-z 0-9 . _ -, at most MaxMetricNameLength characters.
//
// A loop over the bytes, not a regular expression: every point of every
// post is checked, and the regexp was 3% of serve's CPU under 50,000
// agents.
func ValidateMetricName(name string) error {
	if len(name) > MaxMetricNameLength || !metricNameChars(name) {
		return fmt.Errorf("invalid metric name %q: use A-Z a-z 0-9 . _ - (at most %d characters)", name, MaxMetricNameLength)
	}
	return nil
}

// metricNameChars reports whether name is one or more of A-Z a-z 0-9 . _ -.
func metricNameChars(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

// ValidHostStatus reports whether s is one of HostStatuses.
func ValidHostStatus(s string) bool { return slices.Contains(HostStatuses, s) }

// ValidCheckStatus reports whether s is one of CheckStatuses.
func ValidCheckStatus(s string) bool { return slices.Contains(CheckStatuses, s) }

// ValidServiceName reports whether s may name a service or a role: 2 to 63
// of A-Z a-z 0-9 _ -, not starting with _ or -.
func ValidServiceName(s string) bool { return serviceNameRe.MatchString(s) }

// ValidCheckName reports whether s may name a check monitor: A-Z a-z 0-9 _ -.
func ValidCheckName(s string) bool { return checkNameRe.MatchString(s) }

// ValidMetadataNamespace reports whether s may name a metadata namespace:
// A-Z a-z 0-9 _ - (writes also refuse the reserved "mackerel" prefix).
func ValidMetadataNamespace(s string) bool { return namespaceRe.MatchString(s) }
