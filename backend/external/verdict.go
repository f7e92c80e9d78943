package external

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/mkr-dev/mkr/backend/monitor"
)

// ResponseTimeMetric is the service metric that receives an external
// monitor's response times, in milliseconds. "responcetime" is Mackerel's
// own spelling; clients graph it under that name.
func ResponseTimeMetric(monitorID string) string {
	return "__externalhttp.responcetime." + monitorID
}

// ResponseTimeStatus judges the average response time (milliseconds, over
// the monitor's responseTimeDuration) against its thresholds. Like metric
// monitors with operator ">", reaching a threshold exactly is not a
// violation.
func ResponseTimeStatus(m *monitor.Monitor, avgMillis float64) string {
	switch {
	case m.ResponseTimeCritical != nil && avgMillis > *m.ResponseTimeCritical:
		return StatusCritical
	case m.ResponseTimeWarning != nil && avgMillis > *m.ResponseTimeWarning:
		return StatusWarning
	}
	return StatusOK
}

// judge decides a response's status. When several checks fail, the first
// in the order status code, body, certificate decides: a wrong status or
// body is CRITICAL, never less severe than the certificate's verdict.
func judge(m *monitor.Monitor, resp *http.Response, body []byte, now time.Time) (status, message string) {
	code := strconv.Itoa(resp.StatusCode)
	if !statusCodeOK(m, resp.StatusCode) {
		return StatusCritical, code
	}
	if m.ContainsString != "" && !bytes.Contains(body, []byte(m.ContainsString)) {
		return StatusCritical, fmt.Sprintf("body does not contain %q", shorten(m.ContainsString, 64))
	}
	// The final response's certificate: after redirects, the one the
	// content came from.
	if resp.TLS != nil && len(resp.TLS.PeerCertificates) > 0 {
		if status, message := certificateStatus(m, resp.TLS.PeerCertificates[0].NotAfter, now); status != StatusOK {
			return status, message
		}
	}
	return StatusOK, code
}

// statusCodeOK: with expectedStatusCode only that code passes; without it
// anything below 400 does (a 3xx too, when redirects are not followed).
func statusCodeOK(m *monitor.Monitor, code int) bool {
	if m.ExpectedStatusCode != nil {
		return int64(code) == *m.ExpectedStatusCode
	}
	return code < 400
}

// certificateStatus judges the leaf certificate's expiry as Mackerel's
// check-ssl-cert does: a violation when less than N whole days are left.
func certificateStatus(m *monitor.Monitor, notAfter, now time.Time) (status, message string) {
	left := notAfter.Sub(now)
	within := func(days *int64) bool {
		return days != nil && left < time.Duration(*days)*24*time.Hour
	}
	switch {
	case within(m.CertificationExpirationCritical):
		status = StatusCritical
	case within(m.CertificationExpirationWarning):
		status = StatusWarning
	default:
		return StatusOK, ""
	}
	return status, expiryMessage(left)
}

func expiryMessage(left time.Duration) string {
	if left <= 0 {
		return "certificate has expired"
	}
	days := int64(left / (24 * time.Hour))
	unit := "days"
	if days == 1 {
		unit = "day"
	}
	return fmt.Sprintf("certificate expires in %d %s", days, unit)
}

// shorten keeps messages readable when a monitor looks for a long string.
func shorten(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max]) + "…"
}
