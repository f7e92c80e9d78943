package backend

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/mkr-dev/mkr/backend/auth"
	"github.com/mkr-dev/mkr/backend/store"
)

// apiError is an error with the HTTP status and the message the hosted API
// would give.
type apiError struct {
	status  int
	message string
}

func (e *apiError) Error() string { return e.message }

func errorf(status int, format string, args ...any) error {
	return &apiError{status: status, message: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) error {
	return errorf(http.StatusBadRequest, format, args...)
}

// AuthError lets an Authorize hook answer 401 or 403.
func AuthError(status int, message string) error { return &apiError{status: status, message: message} }

// Messages of the hosted API that clients are known to match on.
const (
	msgHostNotFound  = "Host Not Found."
	msgHostsNotFound = "Hosts Not Found."
	msgNotFound      = "Not found."
)

// writeError answers with Mackerel's error shape. notFound is the message
// for store.ErrNotFound on this route.
func writeError(w http.ResponseWriter, err error, notFound string) {
	var ae *apiError
	var mbe *http.MaxBytesError
	var aue *auth.Error
	switch {
	case errors.As(err, &ae):
	case errors.As(err, &aue):
		ae = &apiError{aue.Status, aue.Message}
	case errors.As(err, &mbe):
		ae = &apiError{http.StatusRequestEntityTooLarge, fmt.Sprintf("Request body is too large (limit %d bytes).", mbe.Limit)}
	case errors.Is(err, store.ErrNotFound):
		if notFound == "" {
			notFound = notFoundMessage(err)
		}
		ae = &apiError{http.StatusNotFound, notFound}
	case errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrLimit):
		ae = &apiError{http.StatusBadRequest, unwrapMessage(err)}
	case errors.Is(err, store.ErrRetired):
		ae = &apiError{http.StatusBadRequest, "Host is retired: " + unwrapMessage(err)}
	default:
		slog.Error("backend: internal error", "err", err)
		ae = &apiError{http.StatusInternalServerError, "Internal server error."}
	}
	writeJSON(w, ae.status, map[string]any{"error": map[string]string{"message": ae.message}})
}

// unwrapMessage drops the sentinel prefix ("conflict: x" → "x").
func unwrapMessage(err error) string {
	msg := err.Error()
	for _, s := range []error{store.ErrConflict, store.ErrLimit, store.ErrRetired, store.ErrNotFound} {
		prefix := s.Error() + ": "
		if len(msg) > len(prefix) && msg[:len(prefix)] == prefix {
			return msg[len(prefix):]
		}
	}
	return msg
}

// notFoundMessage turns a store error such as "not found: service web"
// into "Service web not found.".
func notFoundMessage(err error) string {
	what := unwrapMessage(err)
	if what == err.Error() || what == "" {
		return msgNotFound
	}
	return strings.ToUpper(what[:1]) + what[1:] + " not found."
}
