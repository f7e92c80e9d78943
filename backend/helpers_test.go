package backend_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend/backendtest"
)

// mustMackerel serves env over a loopback httptest server and returns the
// official Go client pointed at it. Every response the server gives is
// checked by checkResponse.
func mustMackerel(t *testing.T, env *backendtest.Env) *mackerel.Client {
	t.Helper()
	srv := httptest.NewServer(checkedHandler(t, env.Handler))
	t.Cleanup(srv.Close)
	mc, err := mackerel.NewClientWithOptions("test-api-key", srv.URL, false)
	if err != nil {
		t.Fatalf("NewClientWithOptions: %v", err)
	}
	return mc
}

// checkedHandler wraps h so that every response is checked against the
// protocol rules of checkResponse.
func checkedHandler(t *testing.T, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if err := checkResponse(rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
			t.Errorf("%s %s: %v", r.Method, r.URL, err)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
}

// checkResponse enforces what every answer must look like: a JSON body
// (even on 2xx, which the Go client always decodes), integer epoch seconds
// in every *At key, and errors in Mackerel's {"error":{"message":…}} shape.
func checkResponse(status int, header http.Header, body []byte) error {
	if ct := header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return errors.New("Content-Type is " + ct + ", not JSON")
	}
	if len(bytes.TrimSpace(body)) == 0 || !json.Valid(body) {
		return errors.New("body is not JSON: " + string(body))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	if err := checkTimes("", v); err != nil {
		return err
	}
	if status >= 200 && status <= 299 {
		return nil
	}
	if _, err := errorMessage(body); err != nil {
		return err
	}
	return nil
}

// checkTimes fails on any key ending in "At" whose value is not an integer.
func checkTimes(key string, v any) error {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if err := checkTimes(k, x); err != nil {
				return err
			}
		}
	case []any:
		for _, x := range v {
			if err := checkTimes(key, x); err != nil {
				return err
			}
		}
	case json.Number:
		if strings.HasSuffix(key, "At") && strings.ContainsAny(v.String(), ".eE") {
			return errors.New(key + " is not an integer: " + v.String())
		}
	default:
		if strings.HasSuffix(key, "At") && v != nil {
			return errors.New(key + " is not a number")
		}
	}
	return nil
}

// errorMessage returns the message of a body that is exactly
// {"error":{"message":"…"}} and nothing else.
func errorMessage(body []byte) (string, error) {
	var outer map[string]json.RawMessage
	if err := json.Unmarshal(body, &outer); err != nil {
		return "", errors.New("error body is not an object: " + string(body))
	}
	if len(outer) != 1 || outer["error"] == nil {
		return "", errors.New(`error body must have exactly the key "error": ` + string(body))
	}
	var inner map[string]any
	if err := json.Unmarshal(outer["error"], &inner); err != nil || len(inner) != 1 {
		return "", errors.New(`"error" must be an object with only "message": ` + string(body))
	}
	msg, ok := inner["message"].(string)
	if !ok || msg == "" {
		return "", errors.New(`"error.message" must be a non-empty string: ` + string(body))
	}
	return msg, nil
}

// response is a recorded answer of the handler.
type response struct {
	status int
	header http.Header
	body   []byte
}

// serve sends one raw request to h and checks the answer's general shape.
func serve(t *testing.T, h http.Handler, method, target, body string) response {
	t.Helper()
	return serveKey(t, h, "test-api-key", method, target, body)
}

// serveKey is serve with the given X-Api-Key ("" sends none).
func serveKey(t *testing.T, h http.Handler, key, method, target, body string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("X-Api-Key", key)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if err := checkResponse(rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
		t.Errorf("%s %s: %v", method, target, err)
	}
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// wantError fails unless resp is an error with that status and message.
func wantError(t *testing.T, resp response, status int, message string) {
	t.Helper()
	msg, err := errorMessage(resp.body)
	if err != nil {
		t.Fatalf("status %d: %v", resp.status, err)
	}
	if resp.status != status || msg != message {
		t.Fatalf("got %d %q, want %d %q", resp.status, msg, status, message)
	}
}

// wantAPIError fails unless err is a mackerel-client-go API error with that
// status and message, i.e. the error survived the wire intact.
func wantAPIError(t *testing.T, err error, status int, message string) {
	t.Helper()
	var apiErr *mackerel.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("got error %v, want *mackerel.APIError %d %q", err, status, message)
	}
	if apiErr.StatusCode != status || apiErr.Message != message {
		t.Fatalf("got APIError %d %q, want %d %q", apiErr.StatusCode, apiErr.Message, status, message)
	}
}

// mustJSON marshals v or fails the test.
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}

// mustDecode decodes a 200 response's body into v.
func mustDecode(t *testing.T, resp response, v any) {
	t.Helper()
	if resp.status != http.StatusOK {
		t.Fatalf("status %d: %s", resp.status, resp.body)
	}
	if err := json.Unmarshal(resp.body, v); err != nil {
		t.Fatalf("decoding %s: %v", resp.body, err)
	}
}
