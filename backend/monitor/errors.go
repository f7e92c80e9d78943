package monitor

import "fmt"

// Error is a definition the API refuses: the HTTP layer answers 400 with
// Message, which names the field ("duration must be between 1 and 10.").
type Error struct {
	Message string
}

func (e *Error) Error() string { return e.Message }

func errorf(format string, args ...any) *Error {
	return &Error{Message: fmt.Sprintf(format, args...)}
}
