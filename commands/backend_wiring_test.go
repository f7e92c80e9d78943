package commands

import (
	"context"
	"time"

	"github.com/mkr-dev/mkr/backend"
)

func testBackendOpener(ctx context.Context, dsn string, now func() time.Time) (EmbeddedBackend, error) {
	b, err := backend.Open(ctx, dsn, backend.Options{Now: now})
	if err != nil {
		return nil, err
	}
	return b, nil
}
