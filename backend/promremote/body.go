package promremote

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/golang/snappy"
)

// MaxDecodedBytes bounds a body once uncompressed. Prometheus sends at
// most a few thousand samples per request (max_samples_per_send, 2,000 by
// default in recent versions), well under 1 MiB; the bound keeps a
// malicious snappy header (it states the decoded size) from reserving
// gigabytes.
const MaxDecodedBytes = 32 << 20

// Version is the remote-write protocol version this package speaks, as
// X-Prometheus-Remote-Write-Version gives it.
const Version = "0.1.0"

// RequestError is a request refused as a whole, with its HTTP status.
type RequestError struct {
	Status  int
	Message string
}

func (e *RequestError) Error() string { return e.Message }

func badBody(format string, args ...any) error {
	return &RequestError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// ReadBody reads a remote-write or remote-read body: snappy block
// compression (Content-Encoding: snappy, the only encoding the protocol
// has; a missing header is taken to mean it) of a protobuf message of
// version 1 (a remote-write 2.0 message is refused with 415, which tells
// Prometheus to fall back to 1.0).
func ReadBody(r *http.Request) ([]byte, error) {
	if enc := r.Header.Get("Content-Encoding"); enc != "" && !strings.EqualFold(enc, "snappy") {
		return nil, &RequestError{http.StatusUnsupportedMediaType,
			fmt.Sprintf("Content-Encoding %q is not supported: remote write bodies are snappy-compressed.", enc)}
	}
	if v := r.Header.Get("X-Prometheus-Remote-Write-Version"); v != "" && !strings.HasPrefix(v, "0.1.") && !strings.HasPrefix(v, "1.") {
		return nil, &RequestError{http.StatusUnsupportedMediaType,
			fmt.Sprintf("X-Prometheus-Remote-Write-Version %q is not supported: this server speaks remote write %s (1.0).", v, Version)}
	}
	if _, params, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil {
		if p := params["proto"]; p != "" && p != "prometheus.WriteRequest" {
			return nil, &RequestError{http.StatusUnsupportedMediaType,
				fmt.Sprintf("Content-Type proto=%s is not supported: send prometheus.WriteRequest (remote write 1.0).", p)}
		}
	}
	compressed, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &RequestError{http.StatusRequestEntityTooLarge,
				fmt.Sprintf("The request body is over %d bytes: lower max_samples_per_send in Prometheus' queue_config.", tooBig.Limit)}
		}
		return nil, badBody("Reading the request body: %v.", err)
	}
	n, err := snappy.DecodedLen(compressed)
	if err != nil {
		return nil, badBody("The body is not snappy-compressed (block format): %v.", err)
	}
	if n > MaxDecodedBytes {
		return nil, &RequestError{http.StatusRequestEntityTooLarge,
			fmt.Sprintf("The body is %d bytes uncompressed, over %d: lower max_samples_per_send in Prometheus' queue_config.", n, MaxDecodedBytes)}
	}
	raw, err := snappy.Decode(nil, compressed)
	if err != nil {
		return nil, badBody("The body is not snappy-compressed (block format): %v.", err)
	}
	return raw, nil
}

// Encode compresses a protobuf message as remote write and read bodies
// are: snappy's block format.
func Encode(raw []byte) []byte { return snappy.Encode(nil, raw) }
