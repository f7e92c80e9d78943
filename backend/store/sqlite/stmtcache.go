package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// stmtCache prepares each read statement once per pooled connection
// instead of once per call. database/sql keeps a prepared *sql.Stmt's
// driver statement on every connection it ran on, and SQLite re-prepares
// it by itself after a schema change. Parsing and planning a statement
// was ~5% of mkr serve's CPU under 50,000 simulated agents (the API-key
// check of every request alone prepared its one query 833 times a
// second).
//
// Only the read pool uses it: the writer's one connection is held by
// its transaction, where preparing through the pool would wait for
// itself.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// Bounds: at most maxCachedStmts statements (the store has about a
// hundred distinct reads), and none with more than maxCachedParams
// parameters — "IN (?, ?, …)" lists vary in length and would fill the
// cache with one-off texts.
const (
	maxCachedStmts  = 512
	maxCachedParams = 1024
)

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sql.Stmt{}}
}

// get returns the prepared statement of query, or nil when it is not
// cached and cannot be (the caller then runs the query unprepared, which
// also reports any error preparing would have).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	c.mu.Lock()
	st, ok := c.m[query]
	full := len(c.m) >= maxCachedStmts
	c.mu.Unlock()
	if ok || full || strings.Count(query, "?") > maxCachedParams {
		return st
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if had, ok := c.m[query]; ok { // prepared meanwhile by another caller
		st.Close()
		return had
	}
	c.m[query] = st
	return st
}

// close closes every cached statement (before the pool is closed).
func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}
