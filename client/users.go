package client

import "context"

// User is a member of the organization. Field order and omitempty follow
// mackerel-client-go, so `mkr users -v` prints what upstream prints.
type User struct {
	ID                      string   `json:"id,omitempty"`
	ScreenName              string   `json:"screenName,omitempty"`
	Email                   string   `json:"email,omitempty"`
	Authority               string   `json:"authority,omitempty"`
	IsInRegistrationProcess bool     `json:"isInRegistrationProcess,omitempty"`
	IsMFAEnabled            bool     `json:"isMFAEnabled,omitempty"`
	AuthenticationMethods   []string `json:"authenticationMethods,omitempty"`
	JoinedAt                int64    `json:"joinedAt,omitempty"`
}

// Invitation is an invitation to join the organization; ExpiresAt is epoch
// seconds.
type Invitation struct {
	Email     string `json:"email,omitempty"`
	Authority string `json:"authority,omitempty"`
	ExpiresAt int64  `json:"expiresAt,omitempty"`
}

// InvitableAuthorities are the authorities an invitation may give.
var InvitableAuthorities = []string{"manager", "collaborator", "viewer"}

// FindUsers calls GET /api/v0/users.
func (c *Client) FindUsers(ctx context.Context) ([]*User, error) {
	var data struct {
		Users []*User `json:"users"`
	}
	if err := c.get(ctx, "/api/v0/users", nil, &data); err != nil {
		return nil, err
	}
	if data.Users == nil {
		data.Users = []*User{}
	}
	return data.Users, nil
}

// DeleteUser calls DELETE /api/v0/users/<id>.
func (c *Client) DeleteUser(ctx context.Context, id string) (*User, error) {
	var out User
	if err := c.delete(ctx, pathf("/api/v0/users/%s", id), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// FindInvitations calls GET /api/v0/invitations.
func (c *Client) FindInvitations(ctx context.Context) ([]*Invitation, error) {
	var data struct {
		Invitations []*Invitation `json:"invitations"`
	}
	if err := c.get(ctx, "/api/v0/invitations", nil, &data); err != nil {
		return nil, err
	}
	if data.Invitations == nil {
		data.Invitations = []*Invitation{}
	}
	return data.Invitations, nil
}

// CreateInvitation calls POST /api/v0/invitations.
func (c *Client) CreateInvitation(ctx context.Context, email, authority string) (*Invitation, error) {
	var out Invitation
	if err := c.post(ctx, "/api/v0/invitations", &Invitation{Email: email, Authority: authority}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RevokeInvitation calls POST /api/v0/invitations/revoke.
func (c *Client) RevokeInvitation(ctx context.Context, email string) error {
	return c.post(ctx, "/api/v0/invitations/revoke", map[string]string{"email": email}, &struct{}{})
}
