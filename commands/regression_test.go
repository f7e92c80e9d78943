package commands_test

// Regression tests for defects found in review; each failed before its fix.

import (
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// `mkr help <unknown>` exits 3 like `mkr <unknown>` (upstream's code).
func TestHelpUnknownTopicExits3(t *testing.T) {
	e := cmdtest.New(t)
	r := e.Run("help", "nosuch")
	if r.Code != 3 || !strings.Contains(r.Stderr, `unknown command "nosuch" for "mkr"`) {
		t.Fatalf("mkr help nosuch:\n%s", r)
	}
}

// A bad --jq is refused before the command's side effect, not after it.
func TestBadJQRefusedBeforeSideEffect(t *testing.T) {
	e := cmdtest.New(t)
	e.MustRun("services", "create", "web")
	r := e.Run("services", "delete", "web", "--force", "--jq", ".[")
	if r.Code != 1 || !strings.Contains(r.Stderr, "invalid --jq query") {
		t.Fatalf("delete with a bad --jq:\n%s", r)
	}
	if out := e.MustRun("services", "--jq", ".[].name"); out != "web\n" {
		t.Fatalf("the service was deleted anyway:\n%s", out)
	}
	r = e.Run("hosts", "--format", "{{.Name")
	if r.Code != 1 || !strings.Contains(r.Stderr, "invalid --format template") {
		t.Fatalf("hosts with a bad --format:\n%s", r)
	}
}
