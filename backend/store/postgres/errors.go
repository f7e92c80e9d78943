package postgres

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/mkr-dev/mkr/backend/store"
)

// PostgreSQL error codes (SQLSTATE) the store reacts to.
const (
	codeUniqueViolation      = "23505"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
	codeDiskFull             = "53100"
	codeUndefinedTable       = "42P01"
)

// mapErr turns the database's errors into store errors where a store kind
// exists: a unique violation (two replicas creating the same thing at
// once, where SQLite's single writer would have let the store's own check
// see the first) is KindConflict, a full disk KindFull. Store errors and
// every other error pass unchanged.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var se *store.Error
	if errors.As(err, &se) {
		return err
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	switch pe.Code {
	case codeUniqueViolation:
		return &store.Error{Kind: store.KindConflict, Message: "already exists (" + pe.ConstraintName + ")", Err: err}
	case codeDiskFull:
		return store.Full(err)
	}
	return err
}

// pgCode returns err's SQLSTATE, "" when it is not a server error.
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// retryable reports whether a transaction failed only because it ran
// at the same time as another (SERIALIZABLE's conflict, a deadlock), so
// running it again may succeed.
func retryable(err error) bool {
	c := pgCode(err)
	return c == codeSerializationFailure || c == codeDeadlockDetected
}
