package plugininstall_test

import (
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mkr-dev/mkr/plugininstall"
)

func TestLoadManifest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "mkr-plugins.toml")
	writeFile(t, path, `
prefix = "plugins"
platforms = ["linux_arm64", "linux_amd64"]

[[plugin]]
source = "mackerelio/mackerel-plugin-sample"
version = "~> 0.3"

[[plugin]]
source = "mackerel-plugin-json"

[[plugin]]
source = "https://example.com/check-x_{GOOS}_{GOARCH}.tar.gz"
`, 0o644)
	m, err := plugininstall.LoadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	if m.Prefix != "plugins" || !slices.Equal(m.Platforms, []string{"linux_amd64", "linux_arm64"}) || len(m.Plugins) != 3 {
		t.Errorf("manifest = %+v", m)
	}
	if m.Plugins[0] != (plugininstall.ManifestPlugin{Source: "mackerelio/mackerel-plugin-sample", Version: "~> 0.3"}) {
		t.Errorf("plugin 0 = %+v", m.Plugins[0])
	}
	if got := plugininstall.LockPath(path); got != filepath.Join(dir, "mkr-plugins.lock") {
		t.Errorf("LockPath = %q", got)
	}
}

func TestLoadManifestReportsEveryProblem(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mkr-plugins.toml")
	writeFile(t, path, `
platforms = ["linux_amd64", "linux-arm64", "lunix_amd64", "linux_amd64"]
prefx = "/x"

[[plugin]]
source = "o/r"
sourcee = "typo"

[[plugin]]
version = "v1"

[[plugin]]
source = "O/R"

[[plugin]]
source = "o/s@v1"

[[plugin]]
source = "https://example.com/x.zip"
version = "v1"

[[plugin]]
source = "a/b/c"

[[plugin]]
source = "o/t"
version = ">= 1.2, < nope"
`, 0o644)
	_, err := plugininstall.LoadManifest(path)
	want := "invalid plugin manifest " + path + ":\n" +
		`  - unknown key "prefx"` + "\n" +
		`  - unknown key "plugin.sourcee"` + "\n" +
		`  - platform "linux-arm64" is invalid: want GOOS_GOARCH, such as linux_amd64` + "\n" +
		`  - platform "lunix_amd64" is invalid: unknown GOOS "lunix"` + "\n" +
		`  - platform "linux_amd64" is listed twice` + "\n" +
		`  - plugin #2: source is missing` + "\n" +
		`  - plugin #3 (O/R): duplicate source (also plugin #1)` + "\n" +
		`  - plugin #4 (o/s@v1): source "o/s@v1" has a tag: put it in version = "v1"` + "\n" +
		`  - plugin #5 (https://example.com/x.zip): version cannot be used with a URL source` + "\n" +
		`  - plugin #6 (a/b/c): source "a/b/c" is invalid: want owner/repo, a registry name or a URL` + "\n" +
		`  - plugin #7 (o/t): version ">= 1.2, < nope" is not a valid constraint: improper constraint: >= 1.2, < nope`
	if err == nil || err.Error() != want {
		t.Fatalf("got\n%v\nwant\n%s", err, want)
	}
	if !errors.Is(err, plugininstall.ErrInvalidManifest) {
		t.Error("error does not wrap ErrInvalidManifest")
	}
}

func TestLoadManifestSyntaxAndMissing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	writeFile(t, bad, "[[plugin]]\nsource = \n", 0o644)
	_, err := plugininstall.LoadManifest(bad)
	if !errors.Is(err, plugininstall.ErrInvalidManifest) {
		t.Errorf("syntax error: %v", err)
	}
	wantErr(t, err, "invalid plugin manifest "+bad+": toml: line 2")
	typed := filepath.Join(dir, "typed.toml")
	writeFile(t, typed, "[[plugin]]\nsource = \"o/r\"\nversion = 1\n", 0o644)
	_, err = plugininstall.LoadManifest(typed)
	wantErr(t, err, "invalid plugin manifest "+typed+": toml: line 3")
	_, err = plugininstall.LoadManifest(filepath.Join(dir, "none.toml"))
	if !errors.Is(err, fs.ErrNotExist) || errors.Is(err, plugininstall.ErrInvalidManifest) {
		t.Errorf("missing file: %v", err)
	}
}
