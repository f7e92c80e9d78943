package cmdutil

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/wrap"
)

// StateDir is where mkr keeps state between runs (wrap's auto-close state,
// locks and report spool): $XDG_STATE_HOME/mkr, default ~/.local/state/mkr
// — never a world-writable temporary directory.
func (f *Factory) StateDir() string {
	if x := f.Getenv("XDG_STATE_HOME"); x != "" {
		return filepath.Join(x, "mkr")
	}
	return filepath.Join(f.Home(), ".local", "state", "mkr")
}

// spoolStateDir is the state directory whose spool/ holds reports meant
// for the current backend. Each backend (an API base URL, or a local
// database file) has its own, so a report spooled while the hosted API was
// down is never replayed into — and rejected by — another backend.
func (f *Factory) spoolStateDir() string {
	key := "unknown"
	if t, err := f.ResolveTarget(); err == nil {
		sum := sha256.Sum256([]byte(t.identity()))
		key = hex.EncodeToString(sum[:8])
	}
	return filepath.Join(f.StateDir(), "backends", key)
}

// NewSpool returns the report spool of the current backend.
func (f *Factory) NewSpool() *wrap.Spool {
	spool := wrap.NewSpool(f.spoolStateDir(), f.Log().Warn)
	spool.Now = f.Now
	return spool
}

// ReplaySpool delivers check reports an earlier `mkr wrap` could not post
// to this backend, now that a client exists. It is quick when the spool is
// empty (one directory read) and never fails the command that triggered it.
func (f *Factory) ReplaySpool(ctx context.Context, cl *client.Client) {
	entries, err := os.ReadDir(filepath.Join(f.spoolStateDir(), "spool"))
	if err != nil || len(entries) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if res, err := f.NewSpool().Flush(ctx, cl); err == nil && res.Sent > 0 {
		f.Log().Info("delivered %d spooled check reports", res.Sent)
	}
}
