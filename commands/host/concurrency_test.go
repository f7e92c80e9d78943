package host_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// Fifty processes creating hosts at once on one fresh database (all of
// them racing to create and migrate it) all succeed with distinct ids.
func TestConcurrentCreates(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the mkr binary; skipped with -short")
	}
	bin := cmdtest.Binary(t)
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	if err := os.Remove(e.DBPath()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()

	const n = 50
	type proc struct {
		cmd            *exec.Cmd
		stdout, stderr bytes.Buffer
	}
	procs := make([]*proc, n)
	for i := range procs {
		p := &proc{cmd: exec.CommandContext(ctx, bin, "--conf", e.Conf, "create", fmt.Sprintf("host-%d", i))}
		p.cmd.Env = e.ProcEnv()
		p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
		procs[i] = p
	}
	for _, p := range procs {
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
	}
	ids := map[string]bool{}
	for i, p := range procs {
		err := p.cmd.Wait()
		id := strings.TrimSuffix(p.stdout.String(), "\n")
		if err != nil || len(id) != 11 || p.stderr.String() != cmdtest.LogLine(false, "created", id) {
			t.Errorf("host-%d: %v\n--- stdout\n%s--- stderr\n%s", i, err, p.stdout.String(), p.stderr.String())
			continue
		}
		ids[id] = true
	}
	if len(ids) != n {
		t.Errorf("%d distinct ids, want %d", len(ids), n)
	}

	list := exec.CommandContext(ctx, bin, "--conf", e.Conf, "hosts", "--jq", ".[] | .id + \" \" + .name")
	list.Env = e.ProcEnv()
	out, err := list.Output()
	if err != nil {
		t.Fatalf("mkr hosts: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	var names []string
	for _, l := range lines {
		id, name, _ := strings.Cut(l, " ")
		if !ids[id] {
			t.Errorf("mkr hosts lists %q, not an id a create printed", l)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("host-%d", i))
	}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("mkr hosts lists %d hosts %q, want %q", len(names), names, want)
	}
}
