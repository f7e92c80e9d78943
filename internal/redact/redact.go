// Package redact removes credentials from what mkr prints or stores.
package redact

import "strings"

// URL replaces the user-info of a URL ("https://user:pass@host/…") with
// [REDACTED], so that neither the user nor the password is shown. It works
// on text that does not parse as a URL too (it is used on error messages'
// inputs), and leaves text without user-info unchanged.
func URL(s string) string {
	start := 0
	if i := strings.Index(s, "://"); i >= 0 {
		start = i + 3
	}
	rest := s[start:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	if at := strings.LastIndex(rest[:end], "@"); at >= 0 {
		return s[:start] + "[REDACTED]@" + rest[at+1:]
	}
	return s
}
