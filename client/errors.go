package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// APIError is a non-2xx answer from a Mackerel-compatible API. Message comes
// from the body's {"error":{"message":…}} (or the older {"error":"…"} form)
// and falls back to the HTTP status line when the body is not that shape.
type APIError struct {
	StatusCode int
	Message    string
}

// Error keeps upstream mkr's wording so scripts matching on it keep working.
func (e *APIError) Error() string {
	return "API request failed: " + e.Message
}

// IsNotFound reports whether err is an API 404.
func IsNotFound(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound
}

// StatusCode returns the HTTP status of an *APIError in err's chain, or 0.
func StatusCode(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

func newAPIError(status int, body []byte) *APIError {
	msg := extractErrorMessage(body)
	if msg == "" {
		msg = fmt.Sprintf("%d %s", status, http.StatusText(status))
	}
	return &APIError{StatusCode: status, Message: msg}
}

func extractErrorMessage(body []byte) string {
	var wrapped struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &wrapped) != nil || len(wrapped.Error) == 0 {
		return ""
	}
	var obj struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(wrapped.Error, &obj) == nil && obj.Message != "" {
		return obj.Message
	}
	var s string
	if json.Unmarshal(wrapped.Error, &s) == nil {
		return strings.TrimSpace(s)
	}
	return ""
}
