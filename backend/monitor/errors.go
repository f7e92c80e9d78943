package monitor

import "github.com/mkr-dev/mkr/backend/internal/invalid"

// Error is a definition the API refuses (see package invalid).
type Error = invalid.Error

var errorf = invalid.Errorf
