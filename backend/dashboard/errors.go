package dashboard

import "github.com/mkr-dev/mkr/backend/internal/invalid"

// Error is a dashboard the API refuses (see package invalid): Message
// names the field ("widgets[0].layout.width must be …").
type Error = invalid.Error

var errorf = invalid.Errorf

// IsInvalid reports whether err is a refused dashboard and returns it.
func IsInvalid(err error) (*Error, bool) { return invalid.As(err) }
