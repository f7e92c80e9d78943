package sqlstore

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

const userColumns = `id, screen_name, email, authority, is_owner, authentication_methods, joined_at`

func scanUser(row Row) (*store.User, error) {
	var u store.User
	var methods []byte
	if err := row.Scan(&u.ID, &u.ScreenName, &u.Email, &u.Authority, &u.IsOwner, &methods, &u.JoinedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(methods, &u.AuthenticationMethods); err != nil {
		return nil, err
	}
	return &u, nil
}

// ListUsers returns every user, the owner first, then in joining order.
func (c Core) ListUsers(ctx context.Context) ([]*store.User, error) {
	return listOf(scanUser)(c.E.Reader().Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY is_owner DESC, seq`))
}

func getUser(ctx context.Context, q Q, id string) (*store.User, error) {
	u, err := scanUser(q.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if errors.Is(err, ErrNoRows) {
		return nil, store.NotFound("user", id)
	}
	return u, err
}

// GetUser returns one user.
func (c Core) GetUser(ctx context.Context, id string) (*store.User, error) {
	return getUser(ctx, c.E.Reader(), id)
}

// AddUser stores u as the newest user.
func (c Core) AddUser(ctx context.Context, u *store.User) error {
	methods := u.AuthenticationMethods
	if methods == nil {
		methods = []string{}
	}
	mj, err := json.Marshal(methods)
	if err != nil {
		return err
	}
	return c.E.WriteTx(ctx, func(q Q) error {
		if taken, err := userWithEmail(ctx, q, u.Email); err != nil {
			return err
		} else if taken {
			return &store.Error{Kind: store.KindConflict, Resource: "user", ID: u.Email, Message: u.Email + " is already a member of the organization"}
		}
		// The column is TEXT on SQLite (a []byte would be stored as a
		// BLOB) and BYTEA on PostgreSQL.
		var methodsArg any = mj
		if q.Dialect() == SQLite {
			methodsArg = string(mj)
		}
		_, err := q.Exec(ctx, `INSERT INTO users (id, seq, screen_name, email, authority, is_owner, authentication_methods, joined_at)
			VALUES (?, `+q.Dialect().NextSeq("users")+`, ?, ?, ?, ?, ?, ?)`, u.ID, u.ScreenName, u.Email, u.Authority, u.IsOwner, methodsArg, u.JoinedAt)
		return err
	})
}

func userWithEmail(ctx context.Context, q Q, email string) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE email = ?`, email).Scan(&n)
	return n > 0, err
}

// DeleteUser removes a user and returns it as it was.
func (c Core) DeleteUser(ctx context.Context, id string) (*store.User, error) {
	return removeRow(ctx, c, func(q Q) (*store.User, error) { return getUser(ctx, q, id) },
		`DELETE FROM users WHERE id = ?`, id)
}

// ListInvitations returns every stored invitation, oldest first.
func (c Core) ListInvitations(ctx context.Context) ([]*store.Invitation, error) {
	return listOf(func(row Row) (*store.Invitation, error) {
		var inv store.Invitation
		return &inv, row.Scan(&inv.Email, &inv.Authority, &inv.ExpiresAt)
	})(c.E.Reader().Query(ctx, `SELECT email, authority, expires_at FROM invitations ORDER BY seq`))
}

// CreateInvitation stores inv unless the email is a member's or has an
// invitation that has not expired by now.
func (c Core) CreateInvitation(ctx context.Context, inv *store.Invitation, now int64) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		if taken, err := userWithEmail(ctx, q, inv.Email); err != nil {
			return err
		} else if taken {
			return &store.Error{Kind: store.KindConflict, Resource: "invitation", ID: inv.Email, Message: inv.Email + " is already a member of the organization"}
		}
		var expires int64
		err := q.QueryRow(ctx, `SELECT expires_at FROM invitations WHERE email = ?`, inv.Email).Scan(&expires)
		switch {
		case err == nil && expires > now:
			return &store.Error{Kind: store.KindConflict, Resource: "invitation", ID: inv.Email, Message: inv.Email + " is already invited"}
		case err != nil && !errors.Is(err, ErrNoRows):
			return err
		}
		// An expired invitation is replaced and goes to the end of the list.
		if _, err := q.Exec(ctx, `DELETE FROM invitations WHERE email = ?`, inv.Email); err != nil {
			return err
		}
		_, err = q.Exec(ctx, `INSERT INTO invitations (email, seq, authority, expires_at) VALUES (?, `+q.Dialect().NextSeq("invitations")+`, ?, ?)`,
			inv.Email, inv.Authority, inv.ExpiresAt)
		return err
	})
}

// RevokeInvitation removes the invitation of email.
func (c Core) RevokeInvitation(ctx context.Context, email string) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		n, err := q.Exec(ctx, `DELETE FROM invitations WHERE email = ?`, email)
		return mustAffect(n, err, store.NotFound("invitation", email))
	})
}
