package plugininstall_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/mkr-dev/mkr/plugininstall"
)

// installMix sets up a prefix with a GitHub plugin, a URL plugin, a plugin installed
// by upstream mkr (release_tag only) and a file nobody owns.
func installMix(t *testing.T) (*fakeGitHub, string, *plugininstall.Installer, string) {
	gh := newFakeGitHub(t)
	gh.release("o/check-a", "v1", map[string][]byte{"linux_amd64": makeZip(t, exe("check-a", "a"), exe("check-a-extra", "ae"))})
	gh.assets["/dl/mackerel-plugin-url_linux_amd64.tar.gz"] = makeTarGz(t, exe("mackerel-plugin-url", "u"))
	prefix := t.TempDir()
	in := mustNew(t, gh.config(prefix, &logLines{}))
	urlTarget := gh.srv.URL + "/dl/mackerel-plugin-url_linux_amd64.tar.gz"
	if err := in.Install(context.Background(), []string{"o/check-a", urlTarget}, plugininstall.InstallOptions{}); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(prefix, "meta", "up", "check-old", "release_tag"), "v0.9", 0o644)
	writeFile(t, filepath.Join(prefix, "bin", "check-old"), "old", 0o755)
	writeFile(t, filepath.Join(prefix, "bin", "check-handmade"), "h", 0o755)
	return gh, prefix, in, urlTarget
}

func TestList(t *testing.T) {
	t.Parallel()
	_, prefix, in, urlTarget := installMix(t)
	if err := os.Remove(filepath.Join(prefix, "bin", "check-a-extra")); err != nil {
		t.Fatal(err)
	}
	res, err := in.List(context.Background(), plugininstall.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := &plugininstall.ListResult{
		Prefix: prefix,
		Plugins: []plugininstall.PluginInfo{
			{Name: "mackerel-plugin-url_linux_amd64", Source: urlTarget, Files: []string{"mackerel-plugin-url"}},
			{Name: "o/check-a", Source: "o/check-a", Tag: "v1", Files: []string{"check-a"}, Missing: []string{"check-a-extra"}},
			{Name: "up/check-old", Source: "up/check-old", Tag: "v0.9", Files: []string{}},
		},
		Unmanaged: []string{"check-handmade", "check-old"},
	}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("got  %+v\nwant %+v", res, want)
	}
	empty, err := mustNew(t, plugininstall.Config{Prefix: filepath.Join(prefix, "nope")}).List(context.Background(), plugininstall.ListOptions{})
	if err != nil || len(empty.Plugins) != 0 || len(empty.Unmanaged) != 0 {
		t.Errorf("missing prefix: %+v, %v", empty, err)
	}
}

func TestUninstall(t *testing.T) {
	t.Parallel()
	gh, prefix, in, urlTarget := installMix(t)
	ctx := context.Background()

	// check-b is installed by o/check-b too, later: it now belongs to that plugin.
	gh.release("o/check-b", "v1", map[string][]byte{"linux_amd64": makeZip(t, exe("check-b", "b"), exe("check-a-extra", "b's"))})
	if err := in.Install(ctx, []string{"o/check-b"}, plugininstall.InstallOptions{Overwrite: true}); err != nil {
		t.Fatal(err)
	}
	res, err := in.Uninstall(ctx, "check-a", plugininstall.UninstallOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := &plugininstall.UninstallResult{Name: "o/check-a", Removed: []string{"check-a"}, Kept: []string{"check-a-extra"}, Missing: []string{}}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("got %+v, want %+v", res, want)
	}
	if got := readFile(t, filepath.Join(prefix, "bin", "check-a-extra")); got != "b's" {
		t.Errorf("shared file = %q", got)
	}
	if _, err := os.Stat(filepath.Join(prefix, "meta", "o", "check-a")); !os.IsNotExist(err) {
		t.Errorf("meta dir still there: %v", err)
	}

	// By URL, and the owner directory of the last URL plugin goes too.
	if _, err := in.Uninstall(ctx, urlTarget, plugininstall.UninstallOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(prefix, "meta", "_url")); !os.IsNotExist(err) {
		t.Errorf("meta/_url still there: %v", err)
	}

	_, err = in.Uninstall(ctx, "check-a", plugininstall.UninstallOptions{})
	if err == nil || err.Error() != "plugin is not installed: check-a (prefix "+prefix+")" || !errors.Is(err, plugininstall.ErrNotInstalled) {
		t.Errorf("second uninstall: %v", err)
	}

	// Installed by upstream mkr: no record, so no guessing.
	_, err = in.Uninstall(ctx, "up/check-old", plugininstall.UninstallOptions{})
	wantErr(t, err, "up/check-old was installed without a record of its files (by upstream mkr?)")
	if got := readFile(t, filepath.Join(prefix, "bin", "check-old")); got != "old" {
		t.Errorf("check-old touched: %q", got)
	}

	remaining := tree(t, filepath.Join(prefix, "bin"))
	equalLines(t, keys(remaining), []string{"check-a-extra", "check-b", "check-handmade", "check-old"})
}

func TestUninstallWithLockAndAmbiguity(t *testing.T) {
	t.Parallel()
	p := newLockProject(t, "linux_amd64")
	ctx := context.Background()
	in := p.installer(t, "linux_amd64")
	if _, err := in.Lock(ctx, p.manifest, plugininstall.LockOptions{}); err != nil {
		t.Fatal(err)
	}
	// As if upstream mkr had installed o/check-b: release_tag and the binary only.
	writeFile(t, filepath.Join(p.prefix, "meta", "o", "check-b", "release_tag"), "v1", 0o644)
	writeFile(t, filepath.Join(p.prefix, "bin", "check-b"), "check-b v1 linux_amd64", 0o755)
	writeFile(t, filepath.Join(p.prefix, "meta", "x", "check-b", "release_tag"), "v1", 0o644)

	_, err := in.Uninstall(ctx, "check-b", plugininstall.UninstallOptions{ManifestPath: p.manifest})
	wantErr(t, err, `"check-b" matches several installed plugins (o/check-b, x/check-b): name one as owner/repo`)
	res, err := in.Uninstall(ctx, "o/check-b", plugininstall.UninstallOptions{ManifestPath: p.manifest})
	if err != nil || len(res.Removed) != 1 {
		t.Fatalf("%+v, %v", res, err)
	}
	if _, err := os.Stat(filepath.Join(p.prefix, "bin", "check-b")); !os.IsNotExist(err) {
		t.Errorf("check-b still there: %v", err)
	}
}
