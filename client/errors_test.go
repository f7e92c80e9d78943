package client_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/client"
)

func TestAPIErrorParsing(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		wantMessage string
	}{
		{"object form", 404, "application/json", `{"error":{"message":"Host Not Found."}}`, "Host Not Found."},
		{"string form", 401, "application/json", `{"error":"Authentication failed. Please try with valid Api Key."}`, "Authentication failed. Please try with valid Api Key."},
		{"string form is trimmed", 400, "application/json", `{"error":"  name is required.\n"}`, "name is required."},
		{"html body falls back to status line", 403, "text/html", `<html><body>Forbidden by proxy</body></html>`, "403 Forbidden"},
		{"plain text 500 falls back to status line", 500, "text/plain", `upstream exploded`, "500 Internal Server Error"},
		{"empty body", 409, "", ``, "409 Conflict"},
		{"empty message", 400, "application/json", `{"error":{"message":""}}`, "400 Bad Request"},
		{"error object without message", 413, "application/json", `{"error":{"code":42}}`, "413 Request Entity Too Large"},
		{"error null", 404, "application/json", `{"error":null}`, "404 Not Found"},
		{"no error key", 400, "application/json", `{"message":"nope"}`, "400 Bad Request"},
		{"truncated json", 422, "application/json", `{"error":{"message":"cut`, "422 Unprocessable Entity"},
		{"json array", 400, "application/json", `[{"error":"x"}]`, "400 Bad Request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.WriteHeader(tt.status)
				fmt.Fprint(w, tt.body)
			})
			c, rec := newTestClient(t, srv.URL, func(o *client.Options) { o.Retry.MaxRetries = -1 })

			org, err := c.GetOrg(context.Background())
			if org != nil {
				t.Errorf("GetOrg returned %+v with an error status", org)
			}
			var apiErr *client.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v (%T) is not an *APIError", err, err)
			}
			if apiErr.StatusCode != tt.status || apiErr.Message != tt.wantMessage {
				t.Errorf("APIError = {%d %q}, want {%d %q}", apiErr.StatusCode, apiErr.Message, tt.status, tt.wantMessage)
			}
			if got, want := err.Error(), "API request failed: "+tt.wantMessage; got != want {
				t.Errorf("Error() = %q, want %q", got, want)
			}
			if got := client.StatusCode(err); got != tt.status {
				t.Errorf("StatusCode(err) = %d, want %d", got, tt.status)
			}
			if got, want := client.IsNotFound(err), tt.status == 404; got != want {
				t.Errorf("IsNotFound(err) = %v, want %v", got, want)
			}
			if n := len(srv.requests()); n != 1 {
				t.Errorf("server saw %d requests, want 1", n)
			}
			if w := rec.recorded(); len(w) != 0 {
				t.Errorf("client waited %v with retries disabled", w)
			}
		})
	}
}

func TestAPIErrorHelpersThroughWrapping(t *testing.T) {
	base := &client.APIError{StatusCode: 404, Message: "Host Not Found."}
	wrapped := fmt.Errorf("finding host abc: %w", base)
	if !client.IsNotFound(wrapped) {
		t.Error("IsNotFound(wrapped 404) = false")
	}
	if got := client.StatusCode(wrapped); got != 404 {
		t.Errorf("StatusCode(wrapped) = %d, want 404", got)
	}
	if got := wrapped.Error(); got != "finding host abc: API request failed: Host Not Found." {
		t.Errorf("wrapped.Error() = %q", got)
	}
	plain := errors.New("dial tcp: connection refused")
	if client.IsNotFound(plain) || client.StatusCode(plain) != 0 {
		t.Errorf("a non-API error reported as API status %d", client.StatusCode(plain))
	}
	if client.IsNotFound(&client.APIError{StatusCode: 400, Message: "x"}) {
		t.Error("IsNotFound(400) = true")
	}
	if client.IsNotFound(nil) || client.StatusCode(nil) != 0 {
		t.Error("nil error reported as an API error")
	}
}

func TestNotFoundFromRealBackend(t *testing.T) {
	c, _ := newBackendClient(t)
	ctx := context.Background()

	_, err := c.FindHost(ctx, "noSuchHost")
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("FindHost(unknown) error = %v (%T), want *APIError", err, err)
	}
	if apiErr.StatusCode != http.StatusNotFound || apiErr.Message != "Host Not Found." {
		t.Errorf("APIError = {%d %q}, want {404 \"Host Not Found.\"}", apiErr.StatusCode, apiErr.Message)
	}
	if err.Error() != "API request failed: Host Not Found." {
		t.Errorf("Error() = %q", err.Error())
	}

	// A validation failure from the backend (400) keeps its message too.
	_, err = c.CreateHost(ctx, &client.CreateHostParam{Name: "   "})
	if client.StatusCode(err) != http.StatusBadRequest || !strings.HasPrefix(err.Error(), "API request failed: ") {
		t.Errorf("CreateHost(blank name) error = %v (status %d), want a 400 API error", err, client.StatusCode(err))
	}
}

func TestSuccessWithUndecodableBody(t *testing.T) {
	srv := newFakeServer(t, jsonAnswer(200, `<html>captive portal</html>`))
	c, rec := newTestClient(t, srv.URL, nil)

	_, err := c.GetOrg(context.Background())
	if err == nil {
		t.Fatal("GetOrg decoded an HTML body without error")
	}
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		t.Errorf("a 200 with a bad body became an APIError: %v", err)
	}
	if !strings.HasPrefix(err.Error(), "decoding GET /api/v0/org response: ") {
		t.Errorf("error = %q, want it to name the call", err)
	}
	if n := len(srv.requests()); n != 1 || len(rec.recorded()) != 0 {
		t.Errorf("a 200 was retried: %d requests, waits %v", n, rec.recorded())
	}
}
