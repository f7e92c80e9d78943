package annotation_test

import (
	"context"
	"strings"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// hourAgo is an hour before cmdtest.Epoch, the clock of every run.
var hourAgo = cmdtest.Epoch.Unix() - 3600

// seedService stores a service with roles.
func seedService(e *cmdtest.Env, name string, roles ...string) {
	e.T.Helper()
	ctx := context.Background()
	if _, err := e.Store().CreateService(ctx, name, ""); err != nil {
		e.T.Fatalf("creating service %s: %v", name, err)
	}
	for _, r := range roles {
		if _, err := e.Store().CreateRole(ctx, name, r, ""); err != nil {
			e.T.Fatalf("creating role %s:%s: %v", name, r, err)
		}
	}
}

// annotations returns every annotation of svc, by start time.
func annotations(e *cmdtest.Env, svc string) []*store.Annotation {
	e.T.Helper()
	list, err := e.Store().ListAnnotations(context.Background(), svc, 0, 1<<62)
	if err != nil {
		e.T.Fatalf("ListAnnotations: %v", err)
	}
	return list
}

// mustID runs an `annotations create … --jq .id` and returns the id.
func mustID(e *cmdtest.Env, args ...string) string {
	e.T.Helper()
	out := e.MustRun(append(args, "--jq", ".id")...)
	id := strings.TrimSuffix(out, "\n")
	if id == "" || strings.ContainsAny(id, " \n\"{") {
		e.T.Fatalf("--jq .id printed %q", out)
	}
	return id
}
