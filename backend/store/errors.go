package store

import (
	"errors"
	"strings"
)

// Kind classifies a store error. The HTTP layer maps each kind to a status
// and builds the hosted API's message from the error's fields, so callers
// never parse error text.
type Kind int

// Kinds of store errors.
const (
	// KindNotFound: the addressed row does not exist.
	KindNotFound Kind = iota + 1
	// KindConflict: a uniqueness rule would be broken.
	KindConflict
	// KindRetired: the host is retired and cannot be changed.
	KindRetired
	// KindLimit: a count quota would be exceeded.
	KindLimit
	// KindInvalid: the input breaks a rule the store enforces.
	KindInvalid
	// KindFull: the database or the disk under it is full (SQLite's
	// SQLITE_FULL); the write changed nothing and the store stays usable.
	KindFull
)

func (k Kind) String() string {
	switch k {
	case KindNotFound:
		return "not found"
	case KindConflict:
		return "conflict"
	case KindRetired:
		return "retired"
	case KindLimit:
		return "limit exceeded"
	case KindInvalid:
		return "invalid"
	case KindFull:
		return "storage full"
	}
	return "error"
}

// Error is a failure the store reports on purpose (as opposed to a broken
// database). Resource and ID name what it is about ("service", "web");
// ID may list several ids, comma-separated, for bulk calls. Message, when
// set, is the whole human detail and replaces "<resource> <id>".
type Error struct {
	Kind     Kind
	Resource string
	ID       string
	Message  string
	// Err is an underlying cause that errors.Is should also see.
	Err error
}

// Sentinels for errors.Is: an *Error matches the sentinel of its kind.
var (
	ErrNotFound = &Error{Kind: KindNotFound}
	ErrConflict = &Error{Kind: KindConflict}
	ErrRetired  = &Error{Kind: KindRetired, Resource: "host"}
	ErrLimit    = &Error{Kind: KindLimit}
	ErrInvalid  = &Error{Kind: KindInvalid}
	ErrFull     = &Error{Kind: KindFull}
)

// NotFound reports that resource id does not exist.
func NotFound(resource, id string) *Error {
	return &Error{Kind: KindNotFound, Resource: resource, ID: id}
}

// Full reports that a write failed because the database or the disk is
// full; cause is the engine's error.
func Full(cause error) *Error {
	return &Error{Kind: KindFull, Message: "database or disk is full", Err: cause}
}

// Retired reports that the hosts ids are retired.
func Retired(ids ...string) *Error {
	return &Error{Kind: KindRetired, Resource: "host", ID: strings.Join(ids, ", ")}
}

// Detail is what the error is about: Message, or "<resource> <id>".
func (e *Error) Detail() string {
	if e.Message != "" {
		return e.Message
	}
	return strings.TrimSpace(e.Resource + " " + e.ID)
}

// Error reads like "not found: service web", "conflict: service web
// already exists" or "host is retired: id1, id2".
func (e *Error) Error() string {
	if e.Kind == KindRetired {
		return e.Resource + " is retired: " + e.ID
	}
	if d := e.Detail(); d != "" {
		return e.Kind.String() + ": " + d
	}
	return e.Kind.String()
}

// Is matches the sentinel (or any *Error) of the same kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// IsKind reports whether err is an *Error of kind k and returns it.
func IsKind(err error, k Kind) (*Error, bool) {
	var se *Error
	if errors.As(err, &se) && se.Kind == k {
		return se, true
	}
	return nil, false
}
