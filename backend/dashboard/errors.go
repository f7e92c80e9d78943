package dashboard

import (
	"errors"
	"fmt"
)

// Error is a dashboard the API refuses: the HTTP layer answers 400 with
// Message, which names the field ("widgets[0].layout.width must be …").
type Error struct {
	Message string
}

func (e *Error) Error() string { return e.Message }

func errorf(format string, args ...any) *Error {
	return &Error{Message: fmt.Sprintf(format, args...)}
}

// IsInvalid reports whether err is a refused dashboard (an *Error) and
// returns it.
func IsInvalid(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
