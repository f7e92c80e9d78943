// Package auth decides who may use a served backend: API keys (stored
// hashed), read-only keys, an extra key given on the command line, and
// anonymous access on loopback while no key exists.
//
// It is deliberately free of storage code: the CLI imports it for the key
// types without linking the store, and any store can serve as KeyStore.
package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
)

// APIKey describes a key of `mkr serve`. The key itself is only known when
// it is created; the database keeps its SHA-256.
type APIKey struct {
	ID        string
	Name      string
	ReadOnly  bool
	CreatedAt int64
	RevokedAt int64
}

// ErrUnknownKey is what a KeyStore returns for a key it does not hold (or
// holds revoked).
var ErrUnknownKey = errors.New("unknown API key")

// KeyCounts says how many keys a store holds.
type KeyCounts struct {
	Active int // not revoked
	Ever   int // every key ever made, revoked ones included
}

// KeyStore looks keys up.
type KeyStore interface {
	// LookupAPIKey returns the active key matching key, or an error
	// wrapping ErrUnknownKey.
	LookupAPIKey(ctx context.Context, key string) (*APIKey, error)
	CountAPIKeys(ctx context.Context) (KeyCounts, error)
}

// Config says how requests are authenticated.
type Config struct {
	// ExtraKey is a full-access key given on the command line.
	ExtraKey string
	// Anonymous accepts requests without a key while the store has never
	// had a key: creating one turns authentication on at once, and revoking
	// every key later does not turn it off. The caller allows it on
	// loopback only.
	Anonymous bool
	// AnonymousAfterRevocation, which the operator must ask for
	// explicitly, also accepts requests without a key while every key ever
	// made is revoked.
	AnonymousAfterRevocation bool
}

// Error is a refusal with the status and message the hosted API gives.
type Error struct {
	Status  int
	Message string
}

func (e *Error) Error() string { return e.Message }

var (
	errNoKey    = &Error{http.StatusUnauthorized, "Authentication failed. Please try with valid Api Key."}
	errReadOnly = &Error{http.StatusForbidden, "This API key does not have write permission."}
)

// Authorizer checks the API key of requests: the X-Api-Key header, or
// (for senders that cannot set a custom header, such as Prometheus'
// remote_write with bearer_token or basic_auth) an Authorization header
// carrying the key (requestKey).
type Authorizer struct {
	Keys   KeyStore
	Config Config
}

// Authorize returns nil when r may proceed, an *Error when it is refused,
// and any other error when the key store failed. write is true for
// requests that change state.
func (a *Authorizer) Authorize(r *http.Request, write bool) error {
	if a.Config.Anonymous || a.Config.AnonymousAfterRevocation {
		anonymous, err := a.anonymousAllowed(r.Context())
		if err != nil {
			return err
		}
		if anonymous {
			// Nothing proves who is asking, so refuse what a web page
			// could send from a browser on this machine.
			return checkLocalCaller(r, write)
		}
	}
	key := requestKey(r)
	if key == "" {
		return errNoKey
	}
	if a.Config.ExtraKey != "" && subtle.ConstantTimeCompare([]byte(key), []byte(a.Config.ExtraKey)) == 1 {
		return nil
	}
	k, err := a.Keys.LookupAPIKey(r.Context(), key)
	if errors.Is(err, ErrUnknownKey) {
		return errNoKey
	}
	if err != nil {
		return err
	}
	if write && k.ReadOnly {
		return errReadOnly
	}
	return nil
}

// anonymousAllowed reports whether a request without a key may proceed
// now: asked per request, so that "mkr serve keys create" on a running
// server turns authentication on at once.
func (a *Authorizer) anonymousAllowed(ctx context.Context) (bool, error) {
	n, err := a.Keys.CountAPIKeys(ctx)
	if err != nil {
		return false, err
	}
	switch {
	case n.Active > 0:
		return false, nil
	case n.Ever == 0:
		return a.Config.Anonymous, nil
	default:
		return a.Config.AnonymousAfterRevocation, nil
	}
}
