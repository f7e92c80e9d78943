package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

const userColumns = `id, screen_name, email, authority, is_owner, authentication_methods, joined_at`

func scanUser(row interface{ Scan(...any) error }) (*store.User, error) {
	var u store.User
	var methods string
	if err := row.Scan(&u.ID, &u.ScreenName, &u.Email, &u.Authority, &u.IsOwner, &methods, &u.JoinedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(methods), &u.AuthenticationMethods); err != nil {
		return nil, err
	}
	return &u, nil
}

// ListUsers returns every user, the owner first, then in joining order.
func (s *Store) ListUsers(ctx context.Context) ([]*store.User, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY is_owner DESC, seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*store.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func getUser(ctx context.Context, q querier, id string) (*store.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.NotFound("user", id)
	}
	return u, err
}

// GetUser returns one user.
func (s *Store) GetUser(ctx context.Context, id string) (*store.User, error) {
	return getUser(ctx, s.read, id)
}

// AddUser stores u as the newest user.
func (s *Store) AddUser(ctx context.Context, u *store.User) error {
	methods := u.AuthenticationMethods
	if methods == nil {
		methods = []string{}
	}
	mj, err := json.Marshal(methods)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if taken, err := userWithEmail(ctx, tx, u.Email); err != nil {
			return err
		} else if taken {
			return &store.Error{Kind: store.KindConflict, Resource: "user", ID: u.Email, Message: u.Email + " is already a member of the organization"}
		}
		seq, err := nextSeq(ctx, tx, "users")
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO users (id, seq, screen_name, email, authority, is_owner, authentication_methods, joined_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.ID, seq, u.ScreenName, u.Email, u.Authority, u.IsOwner, string(mj), u.JoinedAt)
		return err
	})
}

func userWithEmail(ctx context.Context, q querier, email string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE email = ?`, email).Scan(&n)
	return n > 0, err
}

// DeleteUser removes a user and returns it as it was.
func (s *Store) DeleteUser(ctx context.Context, id string) (*store.User, error) {
	var out *store.User
	err := s.tx(ctx, func(tx *sql.Tx) error {
		u, err := getUser(ctx, tx, id)
		if err != nil {
			return err
		}
		out = u
		_, err = tx.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, id)
		return err
	})
	return out, err
}

// ListInvitations returns every stored invitation, oldest first.
func (s *Store) ListInvitations(ctx context.Context) ([]*store.Invitation, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT email, authority, expires_at FROM invitations ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*store.Invitation{}
	for rows.Next() {
		var inv store.Invitation
		if err := rows.Scan(&inv.Email, &inv.Authority, &inv.ExpiresAt); err != nil {
			return nil, err
		}
		out = append(out, &inv)
	}
	return out, rows.Err()
}

// CreateInvitation stores inv unless the email is a member's or has an
// invitation that has not expired by now.
func (s *Store) CreateInvitation(ctx context.Context, inv *store.Invitation, now int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if taken, err := userWithEmail(ctx, tx, inv.Email); err != nil {
			return err
		} else if taken {
			return &store.Error{Kind: store.KindConflict, Resource: "invitation", ID: inv.Email, Message: inv.Email + " is already a member of the organization"}
		}
		var expires int64
		err := tx.QueryRowContext(ctx, `SELECT expires_at FROM invitations WHERE email = ?`, inv.Email).Scan(&expires)
		switch {
		case err == nil && expires > now:
			return &store.Error{Kind: store.KindConflict, Resource: "invitation", ID: inv.Email, Message: inv.Email + " is already invited"}
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM invitations WHERE email = ?`, inv.Email); err != nil {
			return err
		}
		seq, err := nextSeq(ctx, tx, "invitations")
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO invitations (email, seq, authority, expires_at) VALUES (?, ?, ?, ?)`,
			inv.Email, seq, inv.Authority, inv.ExpiresAt)
		return err
	})
}

// RevokeInvitation removes the invitation of email.
func (s *Store) RevokeInvitation(ctx context.Context, email string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM invitations WHERE email = ?`, email)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return store.NotFound("invitation", email)
		}
		return nil
	})
}

// SetOrg sets the organization's name and display name.
func (s *Store) SetOrg(ctx context.Context, o store.Org) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE org SET name = ?, display_name = NULLIF(?, '') WHERE id = 1`, o.Name, o.DisplayName)
		return err
	})
}
