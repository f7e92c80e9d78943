package external

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// describeError turns a failed request into the short reason an alert
// shows. ctx is the probe's context: its deadline tells a timeout from the
// caller giving up.
func describeError(ctx context.Context, err error, timeout time.Duration) string {
	var (
		dnsErr    *net.DNSError
		verifyErr *tls.CertificateVerificationError
		recordErr tls.RecordHeaderError
	)
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return "timeout after " + timeout.String()
	case errors.Is(ctx.Err(), context.Canceled):
		return "canceled"
	case errors.Is(err, errTooManyRedirects):
		return "too many redirects (3 or more)"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.As(err, &dnsErr):
		return "lookup " + dnsErr.Name + ": " + dnsErr.Err
	case errors.As(err, &verifyErr):
		return "certificate verification failed: " + strings.TrimPrefix(verifyErr.Err.Error(), "x509: ")
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed by the server"
	case errors.As(err, &recordErr):
		return "TLS handshake failed: the server did not answer TLS"
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	return strings.TrimPrefix(err.Error(), "net/http: HTTP/1.x transport connection broken: ")
}
