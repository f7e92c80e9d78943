package store

import "context"

// User is a member of the organization. The embedded backend starts with
// one, the owner (IsOwner), made by a migration; nobody logs in as a user,
// so users are what GET /api/v0/users shows and what invitations lead to.
type User struct {
	ID                    string
	ScreenName            string
	Email                 string
	Authority             string // owner, manager, collaborator or viewer
	IsOwner               bool
	AuthenticationMethods []string
	JoinedAt              int64
}

// Invitation is an invitation to join the organization, by email.
type Invitation struct {
	Email     string
	Authority string // manager, collaborator or viewer
	ExpiresAt int64
}

// UserStore keeps users and invitations.
type UserStore interface {
	// ListUsers returns every user, the owner first, then by joining.
	ListUsers(ctx context.Context) ([]*User, error)
	// GetUser returns one user (KindNotFound when none).
	GetUser(ctx context.Context, id string) (*User, error)
	// AddUser stores u as the newest user; the caller picks u.ID (NewID).
	// KindConflict when a user has u.Email.
	AddUser(ctx context.Context, u *User) error
	// DeleteUser removes a user and returns it as it was (KindNotFound
	// when none). Whether a user may be deleted is the caller's rule.
	DeleteUser(ctx context.Context, id string) (*User, error)

	// ListInvitations returns every stored invitation, oldest first,
	// expired ones included (whether to show them is the caller's rule).
	ListInvitations(ctx context.Context) ([]*Invitation, error)
	// CreateInvitation stores inv, replacing an invitation of the same
	// email that expired before now. KindConflict when a user has the
	// email or an invitation of it has not expired: the conflict's Message
	// says which.
	CreateInvitation(ctx context.Context, inv *Invitation, now int64) error
	// RevokeInvitation removes the invitation of email (KindNotFound when
	// none).
	RevokeInvitation(ctx context.Context, email string) error
}

// OrgWriter changes the organization.
type OrgWriter interface {
	// SetOrg sets the organization's name and display name ("" for none).
	SetOrg(ctx context.Context, o Org) error
}
