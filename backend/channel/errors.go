package channel

import "github.com/mkr-dev/mkr/backend/internal/invalid"

// Error is a channel the API refuses (see package invalid): Message names
// the field ("url is required.").
type Error = invalid.Error

var errorf = invalid.Errorf

// IsInvalid reports whether err is a refused channel and returns it.
func IsInvalid(err error) (*Error, bool) { return invalid.As(err) }
