package store

import "context"

// Host is a stored host. Meta, Interfaces and Checks are JSON documents the
// store keeps verbatim.
type Host struct {
	ID               string
	Name             string
	DisplayName      string
	CustomIdentifier string
	Size             string
	Status           string
	Memo             string
	Meta             []byte
	Interfaces       []byte
	Checks           []byte
	IsRetired        bool
	RetiredAt        int64
	CreatedAt        int64
	// StatusChangedAt is when Status last took a different value (its
	// creation, for a host whose status never changed).
	StatusChangedAt int64
	Roles           map[string][]string
}

// RoleRef names a role within a service.
type RoleRef struct{ Service, Role string }

// NewHost is what registering a host stores.
type NewHost struct {
	Name             string
	DisplayName      string
	CustomIdentifier string
	Status           string
	Memo             string
	Meta             []byte
	Interfaces       []byte
	Checks           []byte
	Roles            []RoleRef
}

// HostChanges is a partial update: nil fields are left as they are.
type HostChanges struct {
	Name             *string
	DisplayName      *string
	CustomIdentifier *string // "" clears it
	Memo             *string
	Meta             []byte
	Interfaces       []byte
	Checks           []byte
	AddRoles         []RoleRef
}

// HostFilter selects live (non-retired) hosts. Empty fields do not filter.
type HostFilter struct {
	Service          string
	Roles            []string // within Service
	Name             string
	Statuses         []string
	CustomIdentifier string
	// IDs, when not nil, keeps only the hosts with these ids (the engine
	// reads the hosts a second of posts touched, not the fleet).
	IDs []string
	// SkipMeta leaves each listed host's Meta as {} without reading it:
	// for callers that do not print meta (`mkr hosts` without -v), since
	// meta is most of a host's bytes (an agent's is ~28 KB).
	SkipMeta bool
}

// HostStore keeps hosts and their role memberships. Retiring a host is a
// business operation (it closes the host's alerts): see package engine and
// Tx.RetireHosts.
type HostStore interface {
	// CreateHost stores a new host, creating any service, role or check
	// monitor it names; KindConflict when its custom identifier is taken
	// by a live host.
	CreateHost(ctx context.Context, in NewHost) (id string, err error)
	// GetHost returns a host by id, retired or not.
	GetHost(ctx context.Context, id string) (*Host, error)
	// HostExists returns a KindNotFound error unless a host (retired or
	// not) has id, without loading it.
	HostExists(ctx context.Context, id string) error
	// FindHostByCustomIdentifier returns the oldest live host with that
	// custom identifier, optionally compared case-insensitively.
	FindHostByCustomIdentifier(ctx context.Context, ci string, caseInsensitive bool) (*Host, error)
	// ListHosts returns live hosts matching f, in creation order.
	ListHosts(ctx context.Context, f HostFilter) ([]*Host, error)
	// EachHost calls fn with each live host matching f, in creation order
	// (the hosts of ListHosts), and stops at fn's first error, which it
	// returns. It holds a bounded number of hosts at a time and no read
	// open while fn runs, so fn may be slow (writing to a network client)
	// and may write to the store. A long walk is therefore not one
	// snapshot: a host created meanwhile may be seen at the end, one
	// changed or retired meanwhile before or after the change.
	EachHost(ctx context.Context, f HostFilter, fn func(*Host) error) error
	// UpdateHost applies c to a live host; AddRoles are added to its roles.
	UpdateHost(ctx context.Context, id string, c HostChanges) error
	// SetHostStatus sets the status of every host in ids, or of none when
	// one is unknown (KindNotFound) or retired (KindRetired). A host whose
	// status differs from the new one gets StatusChangedAt = now; one that
	// already has it keeps its time, so re-sending a status is no change.
	SetHostStatus(ctx context.Context, ids []string, status string) error
	// SetHostRoles replaces a live host's role set.
	SetHostRoles(ctx context.Context, id string, roles []RoleRef) error
}
