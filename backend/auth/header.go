package auth

import (
	"net/http"
	"strings"
)

// requestKey returns the API key a request carries: X-Api-Key, as every
// Mackerel client sends it; otherwise "Authorization: Bearer <key>" or
// HTTP basic auth with the key as the password (any user name), which is
// what HTTP clients with standard auth settings can send — Prometheus'
// remote_write among them. X-Api-Key wins when both are present.
func requestKey(r *http.Request) string {
	if key := r.Header.Get("X-Api-Key"); key != "" {
		return key
	}
	authz := r.Header.Get("Authorization")
	if scheme, token, ok := strings.Cut(authz, " "); ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(token)
	}
	if _, password, ok := r.BasicAuth(); ok {
		return password
	}
	return ""
}
