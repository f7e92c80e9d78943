package client

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"

	"github.com/mkr-dev/mkr/internal/redact"
)

// sensitiveHeaders are never written to a debug dump, whatever their case.
var sensitiveHeaders = map[string]bool{
	"X-Api-Key":     true,
	"Authorization": true,
	"Cookie":        true,
	"Set-Cookie":    true,
}

func (c *Client) dumpRequest(req *http.Request, payload []byte) {
	if c.debug == nil {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s\n", req.Method, redact.URL(req.URL.String()))
	writeHeaders(&b, "> ", req.Header)
	if len(payload) > 0 {
		fmt.Fprintf(&b, ">\n%s\n", truncateDump(payload))
	}
	fmt.Fprint(c.debug, b.String())
}

func (c *Client) dumpResponse(resp *http.Response, body []byte) {
	if c.debug == nil {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "< %s\n", resp.Status)
	writeHeaders(&b, "< ", resp.Header)
	if len(body) > 0 {
		fmt.Fprintf(&b, "<\n%s\n", truncateDump(body))
	}
	fmt.Fprint(c.debug, b.String())
}

func writeHeaders(b *strings.Builder, prefix string, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := strings.Join(h[k], ", ")
		if sensitiveHeaders[http.CanonicalHeaderKey(k)] {
			v = "[REDACTED]"
		}
		fmt.Fprintf(b, "%s%s: %s\n", prefix, k, v)
	}
}

func truncateDump(p []byte) string {
	const max = 4096
	if len(p) > max {
		return string(p[:max]) + fmt.Sprintf("… (%d bytes)", len(p))
	}
	return string(p)
}

// WithDebug returns a copy of c that dumps every request and response to w
// (API key redacted), as DEBUG does; `monitors push -v` uses it for its
// writes.
func (c *Client) WithDebug(w io.Writer) *Client {
	d := *c
	d.debug = w
	return &d
}
