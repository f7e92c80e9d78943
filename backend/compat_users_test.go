package backend_test

// Users, invitations and the organization through mackerel-client-go
// v0.46.0 and as raw bodies: the owner made by the migration, deleting a
// member (never the owner), invitations that expire, and the refusals.

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

func TestCompatUsers(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	mc := mustMackerel(t, env)

	users, err := mc.FindUsers()
	if err != nil || len(users) != 1 {
		t.Fatalf("FindUsers on a new database = %v, %v; want the owner", users, err)
	}
	owner := users[0]
	if owner.ScreenName != "owner" || owner.Email != "owner@localhost" || owner.Authority != "owner" ||
		!reflect.DeepEqual(owner.AuthenticationMethods, []string{"password"}) || len(owner.ID) != 11 || owner.JoinedAt == 0 {
		t.Fatalf("owner = %+v", owner)
	}

	// The documented wire form: every key, false booleans included.
	resp := serve(t, env.Handler, "GET", "/api/v0/users", "")
	want := `{"users":[{"id":"` + owner.ID + `","screenName":"owner","email":"owner@localhost","authority":"owner","isInRegistrationProcess":false,"isMFAEnabled":false,"authenticationMethods":["password"],"joinedAt":` + jsonInt(owner.JoinedAt) + `}]}`
	if got := strings.TrimSpace(string(resp.body)); got != want {
		t.Fatalf("GET /users\n got %s\nwant %s", got, want)
	}

	if err := env.Store.AddUser(context.Background(), &store.User{ID: "member00001", ScreenName: "ann", Email: "ann@example.com", Authority: "collaborator", JoinedAt: 1700000000}); err != nil {
		t.Fatal(err)
	}
	_, err = mc.DeleteUser(owner.ID)
	wantAPIError(t, err, http.StatusForbidden, "The owner of the organization cannot be deleted.")
	deleted, err := mc.DeleteUser("member00001")
	if wantU := (&mackerel.User{ID: "member00001", ScreenName: "ann", Email: "ann@example.com", Authority: "collaborator", AuthenticationMethods: []string{}, JoinedAt: 1700000000}); err != nil || !reflect.DeepEqual(deleted, wantU) {
		t.Fatalf("DeleteUser = %+v, %v; want %+v", deleted, err, wantU)
	}
	_, err = mc.DeleteUser("member00001")
	wantAPIError(t, err, http.StatusNotFound, "User not found.")
	if users, _ := mc.FindUsers(); len(users) != 1 || users[0].ID != owner.ID {
		t.Fatalf("after the delete, users = %+v", users)
	}
}

func TestCompatInvitations(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	mc := mustMackerel(t, env)

	list, err := mc.FindInvitations()
	if err != nil || list == nil || len(list) != 0 {
		t.Fatalf("FindInvitations on a new database = %v, %v; want an empty list", list, err)
	}
	week := env.Clock.Now().Add(7 * 24 * time.Hour).Unix()
	inv, err := mc.CreateInvitation(&mackerel.Invitation{Email: "bob@example.com", Authority: "viewer"})
	if want := (&mackerel.Invitation{Email: "bob@example.com", Authority: "viewer", ExpiresAt: week}); err != nil || !reflect.DeepEqual(inv, want) {
		t.Fatalf("CreateInvitation = %+v, %v; want %+v", inv, err, want)
	}
	_, err = mc.CreateInvitation(&mackerel.Invitation{Email: "bob@example.com", Authority: "manager"})
	wantAPIError(t, err, http.StatusBadRequest, "email bob@example.com is already invited.")
	_, err = mc.CreateInvitation(&mackerel.Invitation{Email: "owner@localhost", Authority: "manager"})
	wantAPIError(t, err, http.StatusBadRequest, "email owner@localhost is already a member of the organization.")

	list, err = mc.FindInvitations()
	if err != nil || len(list) != 1 || !reflect.DeepEqual(list[0], inv) {
		t.Fatalf("FindInvitations = %+v, %v", list, err)
	}
	resp := serve(t, env.Handler, "POST", "/api/v0/invitations/revoke", `{"email":"bob@example.com"}`)
	if resp.status != http.StatusOK || strings.TrimSpace(string(resp.body)) != `{"success":true}` {
		t.Fatalf("revoke: %d %s", resp.status, resp.body)
	}
	wantError(t, serve(t, env.Handler, "POST", "/api/v0/invitations/revoke", `{"email":"bob@example.com"}`), http.StatusNotFound, "Invitation not found.")

	// An invitation past its expiry is neither listed nor revocable, and
	// the address may be invited again.
	if _, err := mc.CreateInvitation(&mackerel.Invitation{Email: "carol@example.com", Authority: "manager"}); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(7*24*time.Hour + time.Second)
	if list, _ := mc.FindInvitations(); len(list) != 0 {
		t.Fatalf("an expired invitation is listed: %+v", list)
	}
	wantError(t, serve(t, env.Handler, "POST", "/api/v0/invitations/revoke", `{"email":"carol@example.com"}`), http.StatusNotFound, "Invitation not found.")
	if _, err := mc.CreateInvitation(&mackerel.Invitation{Email: "carol@example.com", Authority: "collaborator"}); err != nil {
		t.Fatalf("re-inviting after expiry: %v", err)
	}
}

func TestBadUsersAndInvitations(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	users, err := env.Store.ListUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.GetOrg(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := env.Store.CreateInvitation(context.Background(), &store.Invitation{Email: "in@example.com", Authority: "viewer", ExpiresAt: env.Clock.Now().Unix() + 60}, env.Clock.Now().Unix()); err != nil {
		t.Fatal(err)
	}
	runBadOn(t, env, strings.NewReplacer("OWNER", users[0].ID), []badCase{
		{"delete the owner", "DELETE", "/api/v0/users/OWNER", "", 403, "The owner of the organization cannot be deleted."},
		{"delete nobody", "DELETE", "/api/v0/users/nosuchuser", "", 404, "User not found."},
		{"invite: no body", "POST", "/api/v0/invitations", "", 400, "Request body is required."},
		{"invite: no email", "POST", "/api/v0/invitations", `{"authority":"viewer"}`, 400, "email is required."},
		{"invite: not an address", "POST", "/api/v0/invitations", `{"email":"Bob <bob@example.com>","authority":"viewer"}`, 400, `email "Bob <bob@example.com>" is not an email address.`},
		{"invite: no authority", "POST", "/api/v0/invitations", `{"email":"bob@example.com"}`, 400, "authority is required."},
		{"invite an owner", "POST", "/api/v0/invitations", `{"email":"bob@example.com","authority":"owner"}`, 400, `authority must be one of manager, collaborator, viewer, not "owner".`},
		{"invite: email not a string", "POST", "/api/v0/invitations", `{"email":1,"authority":"viewer"}`, 400, "Invalid JSON: email must be a string, not number"},
		{"invite twice", "POST", "/api/v0/invitations", `{"email":"in@example.com","authority":"manager"}`, 400, "email in@example.com is already invited."},
		{"revoke: no email", "POST", "/api/v0/invitations/revoke", `{}`, 400, "email is required."},
		{"revoke: unknown", "POST", "/api/v0/invitations/revoke", `{"email":"x@example.com"}`, 404, "Invitation not found."},
	})
}

func TestSetOrg(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	ctx := context.Background()
	if err := env.Backend.SetOrg(ctx, "acme-prod", "ACME, production"); err != nil {
		t.Fatal(err)
	}
	resp := serve(t, env.Handler, "GET", "/api/v0/org", "")
	if got := strings.TrimSpace(string(resp.body)); got != `{"name":"acme-prod","displayName":"ACME, production"}` {
		t.Fatalf("GET /org = %s", got)
	}
	for _, tc := range []struct{ name, display, msg string }{
		{"", "", `organization name "": use 1 to 63 letters, digits, - or _, starting with a letter or digit`},
		{"a b", "", `organization name "a b": use 1 to 63 letters, digits, - or _, starting with a letter or digit`},
		{"-x", "", `organization name "-x": use 1 to 63 letters, digits, - or _, starting with a letter or digit`},
		{"ok", "bad\nname", `display name "bad\nname": use at most 100 characters and no control characters`},
		{"ok", strings.Repeat("é", 101), `display name "` + strings.Repeat("é", 101) + `": use at most 100 characters and no control characters`},
	} {
		if err := env.Backend.SetOrg(ctx, tc.name, tc.display); err == nil || err.Error() != tc.msg {
			t.Errorf("SetOrg(%q, %q) = %v, want %s", tc.name, tc.display, err, tc.msg)
		}
	}
	// Refusals change nothing; "" removes the display name (null on the wire).
	if err := env.Backend.SetOrg(ctx, "acme", ""); err != nil {
		t.Fatal(err)
	}
	resp = serve(t, env.Handler, "GET", "/api/v0/org", "")
	if got := strings.TrimSpace(string(resp.body)); got != `{"name":"acme","displayName":null}` {
		t.Fatalf("GET /org = %s", got)
	}
}
