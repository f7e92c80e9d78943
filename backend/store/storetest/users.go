package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// testUsers: a fresh store has exactly one user, the owner; users are
// listed owner first then in joining order; an email belongs to one user;
// deletes return the user as it was and unknown ids are KindNotFound.
func testUsers(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()
	list := func() string {
		t.Helper()
		us, err := st.ListUsers(ctx)
		if err != nil {
			t.Fatalf("ListUsers: %v", err)
		}
		var parts []string
		for _, u := range us {
			parts = append(parts, fmt.Sprintf("%s/%s/%s/%v/%v", u.ScreenName, u.Email, u.Authority, u.IsOwner, u.AuthenticationMethods))
		}
		return strings.Join(parts, " ")
	}
	if got, want := list(), "owner/owner@localhost/owner/true/[password]"; got != want {
		t.Fatalf("fresh store users = %q, want %q", got, want)
	}
	us, _ := st.ListUsers(ctx)
	owner := us[0]
	if len(owner.ID) != 11 || strings.ContainsAny(owner.ID, "0OIl") {
		t.Errorf("owner id %q is not an 11-character base58 id", owner.ID)
	}

	for _, u := range []store.User{
		{ID: "z1", ScreenName: "zed", Email: "zed@example.com", Authority: "viewer", JoinedAt: 10},
		{ID: "a1", ScreenName: "ann", Email: "ann@example.com", Authority: "manager", AuthenticationMethods: []string{"github", "google"}, JoinedAt: 20},
	} {
		if err := st.AddUser(ctx, &u); err != nil {
			t.Fatalf("AddUser %s: %v", u.ID, err)
		}
	}
	want := "owner/owner@localhost/owner/true/[password] zed/zed@example.com/viewer/false/[] ann/ann@example.com/manager/false/[github google]"
	if got := list(); got != want {
		t.Fatalf("users:\n got %s\nwant %s", got, want)
	}
	err := st.AddUser(ctx, &store.User{ID: "x1", ScreenName: "dup", Email: "ann@example.com", Authority: "viewer"})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("AddUser with a member's email: %v, want a conflict", err)
	}
	got, err := st.GetUser(ctx, "a1")
	if err != nil || got.Email != "ann@example.com" || got.JoinedAt != 20 {
		t.Fatalf("GetUser = %+v, %v", got, err)
	}
	deleted, err := st.DeleteUser(ctx, "z1")
	if err != nil || deleted.ScreenName != "zed" || deleted.Authority != "viewer" {
		t.Fatalf("DeleteUser = %+v, %v", deleted, err)
	}
	if _, err := st.DeleteUser(ctx, "z1"); !errors.Is(err, store.ErrNotFound) || err.Error() != "not found: user z1" {
		t.Errorf("DeleteUser of a deleted user: %v", err)
	}
	if _, err := st.GetUser(ctx, "z1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetUser of a deleted user: %v", err)
	}
	if got, want := list(), "owner/owner@localhost/owner/true/[password] ann/ann@example.com/manager/false/[github google]"; got != want {
		t.Fatalf("after delete:\n got %s\nwant %s", got, want)
	}
}

// testInvitations: invitations are listed oldest first; an email is
// invited once until its invitation expires, never when it is a member's;
// revoking removes it and an unknown email is KindNotFound.
func testInvitations(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()
	list := func() string {
		t.Helper()
		invs, err := st.ListInvitations(ctx)
		if err != nil {
			t.Fatalf("ListInvitations: %v", err)
		}
		if invs == nil {
			t.Fatal("ListInvitations returned nil, want an empty list")
		}
		var parts []string
		for _, i := range invs {
			parts = append(parts, fmt.Sprintf("%s/%s/%d", i.Email, i.Authority, i.ExpiresAt))
		}
		return strings.Join(parts, " ")
	}
	if got := list(); got != "" {
		t.Fatalf("fresh store invitations = %q", got)
	}
	for _, inv := range []store.Invitation{{Email: "b@example.com", Authority: "viewer", ExpiresAt: 100}, {Email: "a@example.com", Authority: "manager", ExpiresAt: 200}} {
		if err := st.CreateInvitation(ctx, &inv, 50); err != nil {
			t.Fatalf("CreateInvitation %s: %v", inv.Email, err)
		}
	}
	if got, want := list(), "b@example.com/viewer/100 a@example.com/manager/200"; got != want {
		t.Fatalf("invitations:\n got %s\nwant %s", got, want)
	}
	conflict := func(err error, msg string) {
		t.Helper()
		se, ok := store.IsKind(err, store.KindConflict)
		if !ok || se.Message != msg {
			t.Errorf("got %v, want a conflict %q", err, msg)
		}
	}
	conflict(st.CreateInvitation(ctx, &store.Invitation{Email: "b@example.com", Authority: "manager", ExpiresAt: 300}, 99), "b@example.com is already invited")
	conflict(st.CreateInvitation(ctx, &store.Invitation{Email: "owner@localhost", Authority: "manager", ExpiresAt: 300}, 99), "owner@localhost is already a member of the organization")
	if got, want := list(), "b@example.com/viewer/100 a@example.com/manager/200"; got != want {
		t.Fatalf("refused invitations changed the list:\n got %s\nwant %s", got, want)
	}
	// Once expired, the email may be invited again; the new invitation is
	// the newest.
	if err := st.CreateInvitation(ctx, &store.Invitation{Email: "b@example.com", Authority: "collaborator", ExpiresAt: 400}, 100); err != nil {
		t.Fatalf("re-inviting after expiry: %v", err)
	}
	if got, want := list(), "a@example.com/manager/200 b@example.com/collaborator/400"; got != want {
		t.Fatalf("after re-inviting:\n got %s\nwant %s", got, want)
	}
	if err := st.RevokeInvitation(ctx, "a@example.com"); err != nil {
		t.Fatalf("RevokeInvitation: %v", err)
	}
	if err := st.RevokeInvitation(ctx, "a@example.com"); !errors.Is(err, store.ErrNotFound) || err.Error() != "not found: invitation a@example.com" {
		t.Errorf("RevokeInvitation twice: %v", err)
	}
	if got, want := list(), "b@example.com/collaborator/400"; got != want {
		t.Fatalf("after revoking:\n got %s\nwant %s", got, want)
	}
}

// testSetOrg: the name and display name change together, and "" clears
// the display name.
func testSetOrg(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()
	for _, o := range []store.Org{{Name: "acme", DisplayName: "ACME Inc."}, {Name: "acme2"}} {
		if err := st.SetOrg(ctx, o); err != nil {
			t.Fatalf("SetOrg: %v", err)
		}
		got, err := st.GetOrg(ctx)
		if err != nil || *got != o {
			t.Fatalf("GetOrg after SetOrg(%+v) = %+v, %v", o, got, err)
		}
	}
}
