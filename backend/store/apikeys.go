package store

import (
	"context"

	"github.com/mkr-dev/mkr/backend/auth"
)

// APIKey describes a key of `mkr serve` (see package auth).
type APIKey = auth.APIKey

// KeyStore keeps the API keys of `mkr serve`, hashed. It is an
// auth.KeyStore: LookupAPIKey's errors wrap auth.ErrUnknownKey.
type KeyStore interface {
	auth.KeyStore
	// CreateAPIKey makes a new random key and returns its record and the key.
	CreateAPIKey(ctx context.Context, name string, readOnly bool) (*APIKey, string, error)
	// ListAPIKeys returns every key, revoked ones included, oldest first.
	ListAPIKeys(ctx context.Context) ([]*APIKey, error)
	// RevokeAPIKey revokes a key by id; KindNotFound when it is not active.
	RevokeAPIKey(ctx context.Context, id string) error
}
