package postgres

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

const userColumns = `id, screen_name, email, authority, is_owner, authentication_methods, joined_at`

func scanUser(row pgx.Row) (*store.User, error) {
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
func (s *Store) ListUsers(ctx context.Context) ([]*store.User, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY is_owner DESC, seq`)
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

func getUser(ctx context.Context, q db, id string) (*store.User, error) {
	u, err := scanUser(q.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.NotFound("user", id)
	}
	return u, err
}

// GetUser returns one user.
func (s *Store) GetUser(ctx context.Context, id string) (*store.User, error) {
	return getUser(ctx, s.pool, id)
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
	return s.tx(ctx, func(tx pgx.Tx) error {
		if taken, err := userWithEmail(ctx, tx, u.Email); err != nil {
			return err
		} else if taken {
			return &store.Error{Kind: store.KindConflict, Resource: "user", ID: u.Email, Message: u.Email + " is already a member of the organization"}
		}
		_, err = tx.Exec(ctx, `INSERT INTO users (id, screen_name, email, authority, is_owner, authentication_methods, joined_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, u.ID, u.ScreenName, u.Email, u.Authority, u.IsOwner, mj, u.JoinedAt)
		return err
	})
}

func userWithEmail(ctx context.Context, q db, email string) (bool, error) {
	var taken bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE email = $1)`, email).Scan(&taken)
	return taken, err
}

// DeleteUser removes a user and returns it as it was.
func (s *Store) DeleteUser(ctx context.Context, id string) (*store.User, error) {
	var out *store.User
	err := s.tx(ctx, func(tx pgx.Tx) error {
		u, err := getUser(ctx, tx, id)
		if err != nil {
			return err
		}
		out = u
		_, err = tx.Exec(ctx, `DELETE FROM users WHERE id = $1`, id)
		return err
	})
	return out, err
}

// ListInvitations returns every stored invitation, oldest first.
func (s *Store) ListInvitations(ctx context.Context) ([]*store.Invitation, error) {
	rows, err := s.pool.Query(ctx, `SELECT email, authority, expires_at FROM invitations ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[store.Invitation])
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []*store.Invitation{}
	}
	return out, nil
}

// CreateInvitation stores inv unless the email is a member's or has an
// invitation that has not expired by now.
func (s *Store) CreateInvitation(ctx context.Context, inv *store.Invitation, now int64) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if taken, err := userWithEmail(ctx, tx, inv.Email); err != nil {
			return err
		} else if taken {
			return &store.Error{Kind: store.KindConflict, Resource: "invitation", ID: inv.Email, Message: inv.Email + " is already a member of the organization"}
		}
		var expires int64
		err := tx.QueryRow(ctx, `SELECT expires_at FROM invitations WHERE email = $1`, inv.Email).Scan(&expires)
		switch {
		case err == nil && expires > now:
			return &store.Error{Kind: store.KindConflict, Resource: "invitation", ID: inv.Email, Message: inv.Email + " is already invited"}
		case err != nil && !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		// An expired invitation is replaced and goes to the end of the list.
		if _, err := tx.Exec(ctx, `DELETE FROM invitations WHERE email = $1`, inv.Email); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO invitations (email, authority, expires_at) VALUES ($1, $2, $3)`,
			inv.Email, inv.Authority, inv.ExpiresAt)
		return err
	})
}

// RevokeInvitation removes the invitation of email.
func (s *Store) RevokeInvitation(ctx context.Context, email string) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM invitations WHERE email = $1`, email)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.NotFound("invitation", email)
		}
		return nil
	})
}
