package commands_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The CLI never links the backend's HTTP layer, its engine or a storage
// engine (docs/architecture.md): only the standard-library-only model
// packages listed here. cmd/mkr wires the backend in.
func TestCommandsDoNotLinkTheBackend(t *testing.T) {
	allowed := map[string]bool{
		"github.com/mkr-dev/mkr/backend/auth":     true,
		"github.com/mkr-dev/mkr/backend/downtime": true,
		// The expression evaluator: `dashboards show` draws expression
		// graphs with it over the API's metrics (no endpoint evaluates
		// one). Its store adapter lives in backend/expr/exprstore.
		"github.com/mkr-dev/mkr/backend/expr": true,
	}
	out, err := exec.Command("go", "list", "-deps", "github.com/mkr-dev/mkr/commands/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "github.com/mkr-dev/mkr/backend") && !allowed[pkg] {
			t.Errorf("commands links %s", pkg)
		}
	}
}
