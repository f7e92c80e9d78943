// Package promfold turns a Prometheus series (a metric name and labels)
// into one Mackerel metric name. `mkr throw --input prometheus` and the
// backend's remote-write receiver share it, so a series gets the same
// Mackerel name whichever way it arrives.
//
// The rule: the sanitized metric name, then one ".key_value" part per
// label in key order, every character outside [A-Za-z0-9_-] replaced by
// "_". So http_requests_total{code="200",method="get"} becomes
// http_requests_total.code_200.method_get. The fold is lossy (a="x.y" and
// a="x_y" meet in one name, and a part's key and value cannot be told
// apart again); Watch notices the first kind of loss.
package promfold

import (
	"sort"
	"strconv"
	"strings"
)

// Fold returns the Mackerel metric name of the series name{labels}.
func Fold(name string, labels map[string]string) string {
	var b strings.Builder
	b.WriteString(Sanitize(name))
	for _, k := range sortedKeys(labels) {
		b.WriteByte('.')
		b.WriteString(Sanitize(k + "_" + labels[k]))
	}
	return b.String()
}

// SeriesID names a Prometheus series unambiguously, the way Prometheus
// prints it: its name and its labels sorted, values quoted.
func SeriesID(name string, labels map[string]string) string {
	if len(labels) == 0 {
		return name
	}
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte('{')
	for i, k := range sortedKeys(labels) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k + "=" + strconv.Quote(labels[k]))
	}
	b.WriteByte('}')
	return b.String()
}

// Sanitize maps every character outside [A-Za-z0-9_-] to "_" (a "." would
// start a new part of the Mackerel name).
func Sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			return r
		}
		return '_'
	}, s)
}

func sortedKeys(labels map[string]string) []string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
