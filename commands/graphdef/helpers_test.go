package graphdef_test

import (
	"context"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// hourAgo is an hour before cmdtest.Epoch, the clock of every run.
var hourAgo = cmdtest.Epoch.Unix() - 3600

// seedService stores a service.
func seedService(e *cmdtest.Env, name string) {
	e.T.Helper()
	if _, err := e.Store().CreateService(context.Background(), name, ""); err != nil {
		e.T.Fatalf("creating service %s: %v", name, err)
	}
}
