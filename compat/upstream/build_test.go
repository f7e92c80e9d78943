package upstream_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// tool is an upstream program built from its published Go module at an
// exact version (the module proxy serves tags only, so upstream mkr is
// pinned to its last tag, not to the unreleased HEAD the reference notes
// describe).
type tool struct {
	name    string // binary name
	pkg     string // module and main package path
	version string

	once sync.Once
	path string
	err  error
}

var (
	upstreamMkr   = &tool{name: "mkr", pkg: "github.com/mackerelio/mkr", version: "v0.65.0"}
	upstreamAgent = &tool{name: "mackerel-agent", pkg: "github.com/mackerelio/mackerel-agent", version: "v0.87.0"}
)

// compatRequired is set by `make compat`.
func compatRequired() bool { return os.Getenv("MKR_COMPAT") != "" }

// binary returns the path of the built tool. It is built once into the
// user cache (keyed by module and version) and reused by later runs. The
// comparison runs only under MKR_COMPAT (`make compat`): a cold build of
// upstream costs minutes, which `make test` must not pay, so without it
// the test is skipped with the reason; with it, a failed build fails.
func (u *tool) binary(t *testing.T) string {
	t.Helper()
	if !compatRequired() {
		t.Skipf("comparing with upstream %s@%s needs MKR_COMPAT=1 (make compat), which builds it", u.pkg, u.version)
	}
	u.once.Do(func() { u.path, u.err = u.build() })
	if u.err != nil {
		t.Fatalf("building upstream %s@%s: %v", u.pkg, u.version, u.err)
	}
	return u.path
}

func (u *tool) build() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(cache, "mkr-compat", strings.ReplaceAll(u.pkg, "/", "_")+"@"+u.version)
	path := filepath.Join(dir, u.name)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// `go install pkg@version` would need the proxy's version list (for
	// deprecation notices), which this module proxy refuses; a throwaway
	// module requiring the exact version builds the same program with
	// upstream's own dependency versions (minimal version selection over
	// its go.mod alone).
	mod, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(mod)
	gomod := fmt.Sprintf("module mkrcompatbuild\n\ngo 1.26\n\nrequire %s %s\n", u.pkg, u.version)
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o644); err != nil {
		return "", err
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	// Built into the throwaway module, then renamed: concurrent test
	// processes never see a half-written binary.
	tmp := filepath.Join(mod, u.name)
	cmd := exec.Command(goTool, "build", "-o", tmp, u.pkg)
	cmd.Dir = mod
	// -mod=mod writes go.sum; GOTOOLCHAIN=local: upstream names an older
	// toolchain than ours, never download one.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "CGO_ENABLED=0", "GOWORK=off")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build %s@%s: %v\n%s", u.pkg, u.version, err, out)
	}
	fmt.Fprintf(os.Stderr, "compat: built %s@%s in %s\n", u.pkg, u.version, time.Since(start).Round(time.Second))
	if err := os.Rename(tmp, path); err != nil {
		return "", err
	}
	return path, nil
}
