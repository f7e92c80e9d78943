package backend

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mkr-dev/mkr/backend/store"
)

const (
	msgUserNotFound       = "User not found."
	msgInvitationNotFound = "Invitation not found."
	// invitationLifetime is how long an invitation stays valid. The hosted
	// API documents expiresAt but not the lifetime; a week is this
	// backend's choice.
	invitationLifetime = 7 * 24 * time.Hour
)

// invitableAuthorities are the authorities an invitation may give: an
// organization has one owner, its creator.
var invitableAuthorities = []string{"manager", "collaborator", "viewer"}

// userRoutes registers /api/v0/users and /api/v0/invitations.
func (b *Backend) userRoutes() {
	b.handle("GET /api/v0/users", b.listUsers, route{})
	b.handle("DELETE /api/v0/users/{userId}", b.deleteUser, route{notFound: msgUserNotFound})
	b.handle("GET /api/v0/invitations", b.listInvitations, route{})
	b.handle("POST /api/v0/invitations", b.createInvitation, route{})
	b.handle("POST /api/v0/invitations/revoke", b.revokeInvitation, route{notFound: msgInvitationNotFound})
}

// userJSON is a user as the API shows it, in the documented key order.
type userJSON struct {
	ID                      string   `json:"id"`
	ScreenName              string   `json:"screenName"`
	Email                   string   `json:"email"`
	Authority               string   `json:"authority"`
	IsInRegistrationProcess bool     `json:"isInRegistrationProcess"`
	IsMFAEnabled            bool     `json:"isMFAEnabled"`
	AuthenticationMethods   []string `json:"authenticationMethods"`
	JoinedAt                int64    `json:"joinedAt"`
}

func userOut(u *store.User) userJSON {
	methods := u.AuthenticationMethods
	if methods == nil {
		methods = []string{}
	}
	return userJSON{ID: u.ID, ScreenName: u.ScreenName, Email: u.Email, Authority: u.Authority,
		AuthenticationMethods: methods, JoinedAt: u.JoinedAt}
}

type invitationJSON struct {
	Email     string `json:"email"`
	Authority string `json:"authority"`
	ExpiresAt int64  `json:"expiresAt"`
}

func (b *Backend) listUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := b.store.ListUsers(r.Context())
	if err != nil {
		return err
	}
	out := make([]userJSON, len(users))
	for i, u := range users {
		out[i] = userOut(u)
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out})
	return nil
}

// deleteUser removes a member; the owner (the organization's creator)
// cannot be removed, as in the hosted API (403).
func (b *Backend) deleteUser(w http.ResponseWriter, r *http.Request) error {
	u, err := b.store.GetUser(r.Context(), r.PathValue("userId"))
	if err != nil {
		return err
	}
	if u.IsOwner {
		return errorf(http.StatusForbidden, "The owner of the organization cannot be deleted.")
	}
	if u, err = b.store.DeleteUser(r.Context(), u.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, userOut(u))
	return nil
}

// listInvitations shows the invitations that have not expired.
func (b *Backend) listInvitations(w http.ResponseWriter, r *http.Request) error {
	invs, err := b.store.ListInvitations(r.Context())
	if err != nil {
		return err
	}
	now := b.store.Now().Unix()
	out := []invitationJSON{}
	for _, inv := range invs {
		if inv.ExpiresAt > now {
			out = append(out, invitationJSON{inv.Email, inv.Authority, inv.ExpiresAt})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"invitations": out})
	return nil
}

func (b *Backend) createInvitation(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Email     *string `json:"email"`
		Authority *string `json:"authority"`
	}
	if err := decodeBody(r, &body, false); err != nil {
		return err
	}
	if body.Email == nil {
		return badRequest("email is required.")
	}
	if err := checkEmail(*body.Email); err != nil {
		return err
	}
	if body.Authority == nil {
		return badRequest("authority is required.")
	}
	if !slices.Contains(invitableAuthorities, *body.Authority) {
		return badRequest("authority must be one of %s, not %q.", strings.Join(invitableAuthorities, ", "), *body.Authority)
	}
	now := b.store.Now()
	inv := &store.Invitation{Email: *body.Email, Authority: *body.Authority, ExpiresAt: now.Add(invitationLifetime).Unix()}
	err := b.store.CreateInvitation(r.Context(), inv, now.Unix())
	if se, ok := store.IsKind(err, store.KindConflict); ok {
		return badRequest("email %s.", se.Message)
	} else if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, invitationJSON{inv.Email, inv.Authority, inv.ExpiresAt})
	return nil
}

func (b *Backend) revokeInvitation(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Email *string `json:"email"`
	}
	if err := decodeBody(r, &body, false); err != nil {
		return err
	}
	if body.Email == nil || *body.Email == "" {
		return badRequest("email is required.")
	}
	// An expired invitation is gone as far as clients can see.
	invs, err := b.store.ListInvitations(r.Context())
	if err != nil {
		return err
	}
	live := slices.ContainsFunc(invs, func(i *store.Invitation) bool {
		return i.Email == *body.Email && i.ExpiresAt > b.store.Now().Unix()
	})
	if !live {
		return errorf(http.StatusNotFound, msgInvitationNotFound)
	}
	if err := b.store.RevokeInvitation(r.Context(), *body.Email); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, success)
	return nil
}

// checkEmail accepts a bare address such as a@example.com: no display name,
// no angle brackets, at most 254 bytes (RFC 5321's path limit).
func checkEmail(s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || len(s) > 254 {
		return badRequest("email %q is not an email address.", s)
	}
	return nil
}

// orgNameRe is an organization name: letters, digits, - and _, as in the
// hosted service's organization URLs.
var orgNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$`)

// maxOrgDisplayName bounds a display name, in characters.
const maxOrgDisplayName = 100

// SetOrg renames the organization (`mkr org rename`): the hosted API has
// no endpoint for it, so this is no route, only a call on the embedded
// backend. displayName "" removes the display name.
func (b *Backend) SetOrg(ctx context.Context, name, displayName string) error {
	if !orgNameRe.MatchString(name) {
		return fmt.Errorf("organization name %q: use 1 to 63 letters, digits, - or _, starting with a letter or digit", name)
	}
	if !utf8.ValidString(displayName) || utf8.RuneCountInString(displayName) > maxOrgDisplayName ||
		strings.ContainsFunc(displayName, unicode.IsControl) {
		return fmt.Errorf("display name %q: use at most %d characters and no control characters", displayName, maxOrgDisplayName)
	}
	err := b.store.SetOrg(ctx, store.Org{Name: name, DisplayName: displayName})
	if errors.Is(err, store.ErrFull) {
		return fmt.Errorf("renaming the organization: %w", err)
	}
	return err
}
