package commands

import (
	"context"
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
	return filepath.Join(f.home(), ".local", "state", "mkr")
}

// replaySpool delivers check reports an earlier `mkr wrap` could not post,
// now that a client exists. It is quick when the spool is empty (one
// directory read) and never fails the command that triggered it.
func (f *Factory) replaySpool(ctx context.Context, cl *client.Client) {
	dir := filepath.Join(f.StateDir(), "spool")
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	spool := wrap.NewSpool(f.StateDir(), f.Log().Warn)
	spool.Now = f.Now
	if res, err := spool.Flush(ctx, cl); err == nil && res.Sent > 0 {
		f.Log().Info("delivered %d spooled check reports", res.Sent)
	}
}
