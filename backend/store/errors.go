package store

import "errors"

// Sentinel errors returned by the store; the HTTP layer maps them to status
// codes and Mackerel's messages.
var (
	// ErrNotFound means the addressed row does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means a uniqueness rule would be broken.
	ErrConflict = errors.New("conflict")
	// ErrRetired means the host is retired and cannot be changed.
	ErrRetired = errors.New("host is retired")
	// ErrLimit means a count quota would be exceeded.
	ErrLimit = errors.New("limit exceeded")
)
