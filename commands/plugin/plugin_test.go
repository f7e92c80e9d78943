package plugin_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// fakeGitHub plays GitHub for one plugin repository, owner "o", with one
// release per tag; the asset is a zip holding a plugin executable whose
// content names the tag. Downloads are counted.
type fakeGitHub struct {
	srv       *httptest.Server
	latest    string
	downloads atomic.Int32
}

func newFakeGitHub(t *testing.T, latest string) *fakeGitHub {
	t.Helper()
	g := &fakeGitHub{latest: latest}
	asset := "mackerel-plugin-x_" + runtime.GOOS + "_" + runtime.GOARCH + ".zip"
	mux := http.NewServeMux()
	mux.HandleFunc("HEAD /o/mackerel-plugin-x/releases/latest", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/o/mackerel-plugin-x/releases/tag/"+g.latest)
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("GET /o/mackerel-plugin-x/releases/download/{tag}/"+asset, func(w http.ResponseWriter, r *http.Request) {
		g.downloads.Add(1)
		w.Write(zipOf(t, map[string]string{
			"dist/mackerel-plugin-x": "#!/bin/sh\necho " + r.PathValue("tag") + "\n",
			"README.md":              "not a plugin",
		}))
	})
	mux.HandleFunc("GET /repos/o/mackerel-plugin-x/releases", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode([]map[string]any{{"tag_name": "v1.0.0"}, {"tag_name": "v1.1.0"}})
	})
	mux.HandleFunc("GET /repos/o/mackerel-plugin-x/releases/latest", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"tag_name": g.latest})
	})
	g.srv = httptest.NewServer(mux)
	t.Cleanup(g.srv.Close)
	return g
}

func (g *fakeGitHub) env() map[string]string {
	return map[string]string{
		"MKR_GITHUB_URL":          g.srv.URL,
		"MKR_GITHUB_API_URL":      g.srv.URL,
		"MKR_PLUGIN_REGISTRY_URL": g.srv.URL + "/registry",
		"GITHUB_TOKEN":            "test-token",
	}
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		hdr := &zip.FileHeader{Name: name, Method: zip.Deflate}
		mode := os.FileMode(0o644)
		if strings.Contains(name, "mackerel-plugin-") {
			mode = 0o755
		}
		hdr.SetMode(mode)
		w, err := zw.CreateHeader(hdr)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPluginInstallTarget(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	gh := newFakeGitHub(t, "v1.0.0")
	prefix := filepath.Join(e.Dir, "plugins")
	o := cmdtest.RunOpts{Env: gh.env()}

	r := e.RunWith(o, "plugin", "install", "--prefix", prefix, "o/mackerel-plugin-x")
	if r.Code != 0 {
		t.Fatalf("install: %s", r)
	}
	body, err := os.ReadFile(filepath.Join(prefix, "bin", "mackerel-plugin-x"))
	if err != nil || !strings.Contains(string(body), "v1.0.0") {
		t.Fatalf("installed plugin = %q, %v", body, err)
	}
	if _, err := os.Stat(filepath.Join(prefix, "bin", "README.md")); err == nil {
		t.Fatal("a non-plugin file was installed")
	}
	tag, _ := os.ReadFile(filepath.Join(prefix, "meta", "o", "mackerel-plugin-x", "release_tag"))
	if got, want := string(tag), "v1.0.0"; got != want {
		t.Fatalf("release_tag = %q, want %q", got, want)
	}
	if !strings.Contains(r.Stderr, "Successfully installed o/mackerel-plugin-x") {
		t.Fatalf("stderr lacks the success line: %s", r)
	}

	// An existing file without --overwrite is a clean skip (upstream exits 1).
	r = e.RunWith(o, "plugin", "install", "--prefix", prefix, "o/mackerel-plugin-x")
	if r.Code != 0 || !strings.Contains(r.Stderr, "already exists") {
		t.Fatalf("second install: %s", r)
	}

	// --upgrade with an unchanged tag downloads nothing.
	before := gh.downloads.Load()
	r = e.RunWith(o, "plugin", "install", "--upgrade", "--prefix", prefix, "o/mackerel-plugin-x")
	if r.Code != 0 || gh.downloads.Load() != before {
		t.Fatalf("upgrade with the same tag downloaded (%d → %d): %s", before, gh.downloads.Load(), r)
	}

	r = e.RunWith(o, "plugin", "install", "--prefix", prefix, "not/a/target")
	if r.Code != 1 || !strings.Contains(r.Stderr, "Install target is invalid: not/a/target") {
		t.Fatalf("bad target: %s", r)
	}
}

func TestPluginManifestLockVerify(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	gh := newFakeGitHub(t, "v1.0.0")
	dir := filepath.Join(e.Dir, "project")
	os.MkdirAll(dir, 0o755)
	manifest := filepath.Join(dir, "mkr-plugins.toml")
	prefix := filepath.Join(e.Dir, "plugins")
	os.WriteFile(manifest, []byte("[[plugin]]\nsource = \"o/mackerel-plugin-x\"\nversion = \"v1.0.0\"\n"), 0o644)
	o := cmdtest.RunOpts{Env: gh.env()}

	r := e.RunWith(o, "plugin", "install", "--manifest", manifest, "--prefix", prefix)
	if r.Code != 0 {
		t.Fatalf("manifest install: %s", r)
	}
	lock, err := os.ReadFile(filepath.Join(dir, "mkr-plugins.lock"))
	if err != nil || !strings.Contains(string(lock), `"tag": "v1.0.0"`) {
		t.Fatalf("lock = %s, %v", lock, err)
	}

	r = e.RunWith(o, "plugin", "lock", "--check", "--manifest", manifest)
	if r.Code != 0 {
		t.Fatalf("lock --check on a fresh lock: %s", r)
	}
	r = e.RunWith(o, "plugin", "verify", "--manifest", manifest, "--prefix", prefix)
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != "[]" {
		t.Fatalf("verify: %s", r)
	}
	r = e.RunWith(o, "plugin", "list", "--manifest", manifest, "--prefix", prefix, "--jq", ".plugins[].tag")
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != "v1.0.0" {
		t.Fatalf("list: %s", r)
	}

	// A modified binary is drift: exit 1 and the file named on stdout.
	os.WriteFile(filepath.Join(prefix, "bin", "mackerel-plugin-x"), []byte("tampered"), 0o755)
	r = e.RunWith(o, "plugin", "verify", "--manifest", manifest, "--prefix", prefix)
	if r.Code != 1 || !strings.Contains(r.Stdout, `"status": "modified"`) {
		t.Fatalf("verify after tampering: %s", r)
	}

	// A changed manifest: --check says stale, --locked refuses (exit 4) and
	// installs nothing.
	os.WriteFile(manifest, []byte("[[plugin]]\nsource = \"o/mackerel-plugin-x\"\nversion = \"v1.1.0\"\n"), 0o644)
	r = e.RunWith(o, "plugin", "lock", "--check", "--manifest", manifest)
	if r.Code != 1 {
		t.Fatalf("lock --check on a stale lock: %s", r)
	}
	before := gh.downloads.Load()
	r = e.RunWith(o, "plugin", "install", "--locked", "--manifest", manifest, "--prefix", prefix)
	if r.Code != cmdutil.ExitLockMismatch || !strings.Contains(r.Stderr, "error") {
		t.Fatalf("--locked with a stale lock: %s", r)
	}
	if got, _ := os.ReadFile(filepath.Join(prefix, "bin", "mackerel-plugin-x")); string(got) != "tampered" {
		t.Fatalf("--locked changed the installed file to %q", got)
	}
	if gh.downloads.Load() != before {
		t.Fatal("--locked downloaded something")
	}

	r = e.RunWith(o, "plugin", "uninstall", "--manifest", manifest, "--prefix", prefix, "o/mackerel-plugin-x")
	if r.Code != 0 {
		t.Fatalf("uninstall: %s", r)
	}
	if _, err := os.Stat(filepath.Join(prefix, "bin", "mackerel-plugin-x")); !os.IsNotExist(err) {
		t.Fatalf("plugin file still there after uninstall: %v", err)
	}
}
