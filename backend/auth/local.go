package auth

import (
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Refusals of anonymous requests that a web page could have made.
var (
	errForeignHost   = &Error{http.StatusForbidden, "Requests without an API key must name a loopback host (Host: localhost, 127.0.0.1 or [::1])."}
	errForeignOrigin = &Error{http.StatusForbidden, "Requests without an API key are refused from a web page of another origin."}
	errNotJSON       = &Error{http.StatusUnsupportedMediaType, "Requests that write must have Content-Type: application/json."}
)

// checkLocalCaller guards a server that accepts requests without a key
// (on loopback only) against the browsers on the same machine:
//   - a page that rebinds its DNS name to 127.0.0.1 sends its own name in
//     Host, so only a loopback Host is accepted;
//   - a cross-site request carries the page's Origin, so an Origin that is
//     not a loopback one is refused;
//   - a page can POST text/plain or a form without a CORS preflight, but
//     not application/json, so writes must say application/json (every
//     Mackerel client does) or application/x-protobuf (Prometheus' remote
//     write, equally preflighted).
func checkLocalCaller(r *http.Request, write bool) error {
	if !isLoopbackHost(r.Host) {
		return errForeignHost
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || !isLoopbackHost(u.Host) {
			return errForeignOrigin
		}
	}
	if write {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || (mt != "application/json" && mt != "application/x-protobuf") {
			return errNotJSON
		}
	}
	return nil
}

// isLoopbackHost reports whether hostport (a Host header or a URL's host,
// port optional) names this machine's loopback interface.
func isLoopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
