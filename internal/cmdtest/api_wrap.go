package cmdtest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
)

// StartAPIWith is StartAPI with wrap around the real handler: a test
// server that fails, delays or rewrites some requests (a remote API that
// fails one batch of a throw, or answers as the hosted API does). The
// recorder sees every request, wrapped or not.
func (e *Env) StartAPIWith(wrap func(next http.Handler) http.Handler) *RecordingAPI {
	e.T.Helper()
	h := wrap(e.Backend().Handler())
	a := &RecordingAPI{}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		a.mu.Lock()
		a.reqs = append(a.reqs, APIRequest{r.Method, r.URL.RequestURI(), r.Header.Clone(), string(body)})
		a.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		w.Header()["Date"] = nil // deterministic DEBUG dumps
		h.ServeHTTP(w, r)
	}))
	e.T.Cleanup(a.Close)
	return a
}
