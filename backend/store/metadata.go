package store

import "context"

// MetadataOwner is a host, a service, or a role.
type MetadataOwner struct {
	HostID  string
	Service string
	Role    string
}

// RetiredMetadataReadWindow is how long (in seconds) a retired host's
// metadata stays readable.
const RetiredMetadataReadWindow = 7 * 24 * 60 * 60

// MetadataQuota is how many namespaces an owner kind ("host", "service",
// "role") may have, as the hosted API enforces it.
var MetadataQuota = map[string]int{"host": 50, "service": 50, "role": 10}

// MetadataStore keeps metadata namespaces. A retired host's metadata can
// no longer be written (KindRetired) and is readable for
// RetiredMetadataReadWindow after retirement.
type MetadataStore interface {
	// GetMetadata returns a namespace's value and its last update (epoch s).
	GetMetadata(ctx context.Context, o MetadataOwner, namespace string) ([]byte, int64, error)
	// PutMetadata stores a namespace's value, within the owner's quota
	// (KindLimit).
	PutMetadata(ctx context.Context, o MetadataOwner, namespace string, value []byte) error
	// DeleteMetadata removes a namespace.
	DeleteMetadata(ctx context.Context, o MetadataOwner, namespace string) error
	// ListMetadata returns the owner's namespaces by name.
	ListMetadata(ctx context.Context, o MetadataOwner) ([]string, error)
}
