package plugininstall_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/plugininstall"
)

func TestInstallFromRegistry(t *testing.T) {
	t.Parallel()
	gh := newFakeGitHub(t)
	gh.release("mackerelio/mackerel-plugin-sample", "v0.0.3", map[string][]byte{"linux_amd64": sampleZip(t, "s")})
	gh.registry["sample plugin"] = `{"source":"mackerelio/mackerel-plugin-sample","description":"a sample"}`
	gh.registry["broken"] = `{"source":"no-slash"}`
	prefix := t.TempDir()
	var log logLines
	in := mustNew(t, gh.config(prefix, &log))
	ctx := context.Background()

	if err := in.Install(ctx, []string{"sample plugin@v0.0.3"}, plugininstall.InstallOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(prefix, "meta", "mackerelio", "mackerel-plugin-sample", "release_tag")); got != "v0.0.3" {
		t.Errorf("release_tag = %q", got)
	}
	if r := gh.seen("GET /registry/"); !slices.Equal(r, []string{"GET /registry/plugins/sample%20plugin.json"}) {
		t.Errorf("registry requests = %v", r)
	}
	if !slices.Contains(log.all(), "Successfully installed sample plugin@v0.0.3") {
		t.Errorf("log = %v", log.all())
	}

	err := in.Install(ctx, []string{"broken"}, plugininstall.InstallOptions{})
	wantErr(t, err, "Failed to install plugin broken while making a download URL: source definition is invalid")
	err = in.Install(ctx, []string{"nosuch"}, plugininstall.InstallOptions{})
	wantErr(t, err, "http response not OK. code: 404, url: "+gh.srv.URL+"/registry/plugins/nosuch.json")
}

func TestInstallFromURLs(t *testing.T) {
	t.Parallel()
	gh := newFakeGitHub(t)
	gh.assets["/dl/check-tgz_linux_amd64.tar.gz"] = makeTarGz(t, entry{name: "d/check-tgz", body: "tgz", mode: 0o750}, exe("d/other", "x"))
	gh.assets["/dl/noext"] = makeZip(t, exe("check-noext", "zip by magic"))
	local := filepath.Join(t.TempDir(), "local.zip")
	writeFile(t, local, string(makeZip(t, exe("mackerel-plugin-local", "local"))), 0o644)
	prefix := t.TempDir()
	in := mustNew(t, gh.config(prefix, &logLines{}))

	targets := []string{gh.srv.URL + "/dl/check-tgz_linux_amd64.tar.gz", gh.srv.URL + "/dl/noext", "file://" + filepath.ToSlash(local)}
	if err := in.Install(context.Background(), targets, plugininstall.InstallOptions{}); err != nil {
		t.Fatal(err)
	}
	files := tree(t, filepath.Join(prefix, "bin"))
	want := map[string]string{"check-tgz": "tgz", "check-noext": "zip by magic", "mackerel-plugin-local": "local"}
	if len(files) != len(want) {
		t.Errorf("bin = %v", keys(files))
	}
	for k, v := range want {
		if files[k] != v {
			t.Errorf("bin/%s = %q, want %q", k, files[k], v)
		}
	}
	// URL installs have no release_tag (as upstream) but do have a record.
	meta := tree(t, filepath.Join(prefix, "meta"))
	for k := range meta {
		if strings.HasSuffix(k, "release_tag") || !strings.HasPrefix(k, "_url") {
			t.Errorf("unexpected meta entry %s", k)
		}
	}
}

func TestInstallEscapesTagAndPlatform(t *testing.T) {
	t.Parallel()
	gh := newFakeGitHub(t)
	gh.release("o/check-x", "v1/x@y z", map[string][]byte{"darwin_arm64": makeZip(t, exe("check-x", "mac"))})
	var log logLines
	cfg := gh.config(t.TempDir(), &log)
	cfg.GOOS, cfg.GOARCH = "darwin", "arm64"
	in := mustNew(t, cfg)
	if err := in.Install(context.Background(), []string{"o/check-x@v1/x@y z"}, plugininstall.InstallOptions{}); err != nil {
		t.Fatal(err)
	}
	want := "Downloading " + gh.srv.URL + "/o/check-x/releases/download/v1%2Fx@y%20z/check-x_darwin_arm64.zip"
	if got := log.all()[0]; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
