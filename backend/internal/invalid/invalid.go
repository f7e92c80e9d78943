// Package invalid is the error of the model packages (monitor, channel,
// notifygroup, dashboard, awsintegration) for a definition the API
// refuses: the HTTP layer answers 400 with its Message, which names the
// field ("duration must be between 1 and 10."). One type, so that one
// function in the HTTP layer maps them all.
package invalid

import (
	"errors"
	"fmt"
)

// Error is a refused definition.
type Error struct {
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf builds an Error from a format.
func Errorf(format string, args ...any) *Error {
	return &Error{Message: fmt.Sprintf(format, args...)}
}

// As reports whether err is a refused definition and returns it.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
