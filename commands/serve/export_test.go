package serve

import (
	"context"
	"net"

	"github.com/mkr-dev/mkr/commands/db"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// RunServe lets the external tests run mkr serve on listen in-process;
// ready receives the bound address (tests listen on :0).
func RunServe(ctx context.Context, f *cmdutil.Factory, listen string, ready func(net.Addr)) error {
	retention, err := db.ParseRetention(db.DefaultRetention)
	if err != nil {
		return err
	}
	return runServe(ctx, f, serveOptions{Listen: listen, Limits: defaultLimits, Retention: retention, ready: ready})
}
