package sqlstore

import (
	"time"

	"github.com/mkr-dev/mkr/backend/store"
)

// Leases stay per engine (their clocks and locking differ: SQLite's
// machine clock inside its one writer, PostgreSQL's server clock in one
// autocommitted upsert); only the arguments' check is common.

// CheckLease refuses a lease without a name or holder, or with a ttl
// under a millisecond (leases are kept to the millisecond).
func CheckLease(name, holder string, ttl time.Duration) error {
	switch {
	case name == "" || holder == "":
		return &store.Error{Kind: store.KindInvalid, Resource: "lease", Message: "a lease needs a name and a holder"}
	case ttl < time.Millisecond:
		return &store.Error{Kind: store.KindInvalid, Resource: "lease", ID: name, Message: "a lease's ttl must be at least 1ms, not " + ttl.String()}
	}
	return nil
}
