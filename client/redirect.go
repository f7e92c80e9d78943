package client

import (
	"errors"
	"net/http"
)

// maxRedirects is net/http's own default bound, kept when redirects are
// checked here.
const maxRedirects = 10

// keepKeyAtHome is the client's redirect policy. Go drops Authorization and
// cookies when a redirect leaves the original host, but not X-Api-Key: a
// redirect to another host (or from https to http) would hand the key to
// whoever answers there. It is stripped instead; the other host then
// answers as to any request without a key.
func keepKeyAtHome(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return errors.New("stopped after 10 redirects")
	}
	first := via[0].URL
	if req.URL.Host != first.Host || (first.Scheme == "https" && req.URL.Scheme != "https") {
		req.Header.Del("X-Api-Key")
	}
	return nil
}
