package annotation_test

import (
	"context"
	"strings"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// hourAgo is an hour before cmdtest.Epoch, the clock of every run.
var hourAgo = cmdtest.Epoch.Unix() - 3600

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
