package backend

import (
	"errors"
	"fmt"
	"github.com/mkr-dev/mkr/backend/internal/invalid"
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

// refused answers a definition a model package refused (package invalid)
// with 400 and its message, which names the field; other errors pass
// through.
func refused(err error) error {
	if e, ok := invalid.As(err); ok {
		return badRequest("%s", e.Message)
	}
	return err
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
	msgFull          = "Database or disk is full."
)

// writeError answers with Mackerel's error shape. notFound is the message
// for a store.KindNotFound error on this route; without one the message
// names the missing resource.
func writeError(w http.ResponseWriter, err error, notFound string) {
	var ae *apiError
	var mbe *http.MaxBytesError
	var aue *auth.Error
	var se *store.Error
	switch {
	case errors.As(err, &ae):
	case errors.As(err, &aue):
		ae = &apiError{aue.Status, aue.Message}
	case errors.As(err, &mbe):
		ae = &apiError{http.StatusRequestEntityTooLarge, fmt.Sprintf("Request body is too large (limit %d bytes).", mbe.Limit)}
	case errors.As(err, &se):
		ae = storeError(se, notFound)
	default:
		slog.Error("backend: internal error", "err", err)
		ae = &apiError{http.StatusInternalServerError, "Internal server error."}
	}
	writeJSON(w, ae.status, map[string]any{"error": map[string]string{"message": ae.message}})
}

// storeError derives the hosted API's status and message from a typed
// store error's fields, never from its text.
func storeError(se *store.Error, notFound string) *apiError {
	switch se.Kind {
	case store.KindNotFound:
		if notFound == "" {
			notFound = notFoundMessage(se)
		}
		return &apiError{http.StatusNotFound, notFound}
	case store.KindRetired:
		return &apiError{http.StatusBadRequest, "Host is retired: " + se.ID}
	case store.KindConflict, store.KindLimit, store.KindInvalid:
		return &apiError{http.StatusBadRequest, se.Detail()}
	case store.KindFull:
		// 507, not 500: nothing is broken and the write changed nothing,
		// the operator must free space. Clients retry it like any 5xx.
		slog.Error("backend: database or disk is full", "err", se.Err)
		return &apiError{http.StatusInsufficientStorage, msgFull}
	}
	slog.Error("backend: unexpected store error", "err", se)
	return &apiError{http.StatusInternalServerError, "Internal server error."}
}

// notFoundMessage names the missing resource: NotFound("service", "web")
// gives "Service web not found.".
func notFoundMessage(se *store.Error) string {
	what := se.Detail()
	if what == "" {
		return msgNotFound
	}
	return strings.ToUpper(what[:1]) + what[1:] + " not found."
}
