package plugininstall_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/plugininstall"
)

func TestInstallLatestFromGitHub(t *testing.T) {
	t.Parallel()
	gh := newFakeGitHub(t)
	gh.release("mackerelio/mackerel-plugin-sample", "v0.1.0", map[string][]byte{"linux_amd64": sampleZip(t, "old")})
	gh.release("mackerelio/mackerel-plugin-sample", "v0.2.0", map[string][]byte{"linux_amd64": sampleZip(t, "#!/bin/sh\necho v2\n")})
	prefix := filepath.Join(t.TempDir(), "plugins")
	var log logLines
	in := mustNew(t, gh.config(prefix, &log))

	if err := in.Install(context.Background(), []string{"mackerelio/mackerel-plugin-sample"}, plugininstall.InstallOptions{}); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(prefix, "bin", "mackerel-plugin-sample")
	equalLines(t, log.all(), []string{
		"Downloading " + gh.assetURL("mackerelio/mackerel-plugin-sample", "v0.2.0", "linux_amd64"),
		"Installing " + dest,
		"Successfully installed mackerelio/mackerel-plugin-sample",
	})
	files := tree(t, prefix)
	// Only the executable check-*/mackerel-plugin-* file is installed, flattened; the
	// work directory is cleaned up; release_tag has no newline.
	equalLines(t, keys(files), []string{
		"bin", "bin/mackerel-plugin-sample",
		"meta", "meta/mackerelio", "meta/mackerelio/mackerel-plugin-sample",
		"meta/mackerelio/mackerel-plugin-sample/install.json",
		"meta/mackerelio/mackerel-plugin-sample/release_tag",
		"work",
	})
	if got := files["meta/mackerelio/mackerel-plugin-sample/release_tag"]; got != "v0.2.0" {
		t.Errorf("release_tag = %q, want %q", got, "v0.2.0")
	}
	if got := files["bin/mackerel-plugin-sample"]; got != "#!/bin/sh\necho v2\n" {
		t.Errorf("installed content = %q", got)
	}
	st, err := os.Stat(dest)
	if err != nil || st.Mode().Perm() != 0o755 {
		t.Errorf("installed mode = %v, %v; want 0755", st.Mode(), err)
	}
	// The redirect gave the tag: no API call, and every request says who we are.
	if api := gh.seen("GET /api/"); api != nil {
		t.Errorf("unexpected API calls: %v", api)
	}
	for _, ua := range gh.agents {
		if ua != "mkr-plugin-installer/1.2.3" {
			t.Errorf("User-Agent = %q", ua)
		}
	}
	for _, d := range []string{"bin", "work", "meta"} {
		if st, _ := os.Stat(filepath.Join(prefix, d)); st.Mode().Perm() != 0o755 {
			t.Errorf("%s mode = %v, want 0755", d, st.Mode().Perm())
		}
	}
}

func TestInstallExistingFileIsACleanSkip(t *testing.T) {
	t.Parallel()
	gh := newFakeGitHub(t)
	gh.release("o/check-foo", "v1", map[string][]byte{"linux_amd64": makeZip(t, exe("check-foo", "new"), exe("check-bar", "bar"))})
	prefix := t.TempDir()
	writeFile(t, filepath.Join(prefix, "bin", "check-foo"), "mine", 0o700)
	var log logLines
	in := mustNew(t, gh.config(prefix, &log))

	if err := in.Install(context.Background(), []string{"o/check-foo"}, plugininstall.InstallOptions{}); err != nil {
		t.Fatalf("the skip must not be an error (upstream #700 regression): %v", err)
	}
	equalLines(t, log.all(), []string{
		"Downloading " + gh.assetURL("o/check-foo", "v1", "linux_amd64"),
		filepath.Join(prefix, "bin", "check-foo") + " already exists. Skip installing for now",
		"Installing " + filepath.Join(prefix, "bin", "check-bar"),
		"Successfully installed o/check-foo",
	})
	if got := readFile(t, filepath.Join(prefix, "bin", "check-foo")); got != "mine" {
		t.Errorf("existing file was replaced: %q", got)
	}
	if got := readFile(t, filepath.Join(prefix, "bin", "check-bar")); got != "bar" {
		t.Errorf("check-bar = %q", got)
	}
	// The skipped file is not recorded as the plugin's: uninstall must not delete it.
	rec := readFile(t, filepath.Join(prefix, "meta", "o", "check-foo", "install.json"))
	if strings.Contains(rec, `"check-foo"`) || !strings.Contains(rec, `"check-bar"`) {
		t.Errorf("install.json = %s", rec)
	}
	if entries, _ := os.ReadDir(filepath.Join(prefix, "bin")); len(entries) != 2 {
		t.Errorf("bin/ holds %d entries, want 2 (no temporary files left)", len(entries))
	}
}

func TestInstallAllFilesSkippedLeavesMetaAlone(t *testing.T) {
	t.Parallel()
	gh := newFakeGitHub(t)
	gh.release("o/check-foo", "v2", map[string][]byte{"linux_amd64": makeZip(t, exe("check-foo", "new"))})
	prefix := t.TempDir()
	writeFile(t, filepath.Join(prefix, "bin", "check-foo"), "v1 binary", 0o755)
	writeFile(t, filepath.Join(prefix, "meta", "o", "check-foo", "release_tag"), "v1", 0o644)
	in := mustNew(t, gh.config(prefix, &logLines{}))
	if err := in.Install(context.Background(), []string{"o/check-foo"}, plugininstall.InstallOptions{}); err != nil {
		t.Fatal(err)
	}
	// release_tag must not claim v2 while the v1 binary is still in place.
	if got := readFile(t, filepath.Join(prefix, "meta", "o", "check-foo", "release_tag")); got != "v1" {
		t.Errorf("release_tag = %q, want v1", got)
	}
}

func TestInstallOverwrite(t *testing.T) {
	t.Parallel()
	gh := newFakeGitHub(t)
	gh.release("o/check-foo", "v1", map[string][]byte{"linux_amd64": makeZip(t, exe("check-foo", "new"))})
	prefix := t.TempDir()
	writeFile(t, filepath.Join(prefix, "bin", "check-foo"), "old", 0o700)
	in := mustNew(t, gh.config(prefix, &logLines{}))
	if err := in.Install(context.Background(), []string{"o/check-foo"}, plugininstall.InstallOptions{Overwrite: true}); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(prefix, "bin", "check-foo")); got != "new" {
		t.Errorf("check-foo = %q, want new", got)
	}
	if st, _ := os.Stat(filepath.Join(prefix, "bin", "check-foo")); st.Mode().Perm() != 0o755 {
		t.Errorf("mode = %v, want the archive's 0755", st.Mode().Perm())
	}
}

func TestInstallUpgrade(t *testing.T) {
	t.Parallel()
	gh := newFakeGitHub(t)
	gh.release("o/check-foo", "v1", map[string][]byte{"linux_amd64": makeZip(t, exe("check-foo", "one"))})
	prefix := t.TempDir()
	var log logLines
	in := mustNew(t, gh.config(prefix, &log))
	ctx := context.Background()
	if err := in.Install(ctx, []string{"o/check-foo"}, plugininstall.InstallOptions{Upgrade: true}); err != nil {
		t.Fatal(err)
	}

	// Same tag: no download at all.
	gh.reset()
	log = logLines{}
	if err := in.Install(ctx, []string{"o/check-foo"}, plugininstall.InstallOptions{Upgrade: true}); err != nil {
		t.Fatal(err)
	}
	equalLines(t, log.all(), []string{"release_tag v1 is already installed. Skip installing for now"})
	equalLines(t, gh.seen(""), []string{"HEAD /o/check-foo/releases/latest"})

	// An explicit tag equal to the stored one needs no request whatsoever.
	gh.reset()
	if err := in.Install(ctx, []string{"o/check-foo@v1"}, plugininstall.InstallOptions{Upgrade: true}); err != nil {
		t.Fatal(err)
	}
	if r := gh.seen(""); r != nil {
		t.Errorf("requests = %v, want none", r)
	}

	// A new tag overwrites without --overwrite.
	gh.release("o/check-foo", "v2", map[string][]byte{"linux_amd64": makeZip(t, exe("check-foo", "two"))})
	if err := in.Install(ctx, []string{"o/check-foo"}, plugininstall.InstallOptions{Upgrade: true}); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(prefix, "bin", "check-foo")); got != "two" {
		t.Errorf("check-foo = %q, want two", got)
	}
	if got := readFile(t, filepath.Join(prefix, "meta", "o", "check-foo", "release_tag")); got != "v2" {
		t.Errorf("release_tag = %q, want v2", got)
	}
}

func TestInstallSeveralTargetsStopsAtFirstFailure(t *testing.T) {
	t.Parallel()
	gh := newFakeGitHub(t)
	gh.release("o/check-a", "v1", map[string][]byte{"linux_amd64": makeZip(t, exe("check-a", "a"))})
	prefix := t.TempDir()
	in := mustNew(t, gh.config(prefix, &logLines{}))
	err := in.Install(context.Background(), []string{"o/check-a", "o/check-missing@v9", "o/check-a"}, plugininstall.InstallOptions{})
	wantErr(t, err, "Failed to install plugin o/check-missing@v9 while downloading a plugin: http response not OK. code: 404, url: "+
		gh.srv.URL+"/o/check-missing/releases/download/v9/check-missing_linux_amd64.zip")
	if got := readFile(t, filepath.Join(prefix, "bin", "check-a")); got != "a" {
		t.Errorf("check-a = %q", got)
	}
	if err := in.Install(context.Background(), nil, plugininstall.InstallOptions{}); err == nil || err.Error() != "Specify install target" {
		t.Errorf("no target: %v", err)
	}
	// A bad target is reported before anything is downloaded.
	gh.reset()
	err = in.Install(context.Background(), []string{"o/check-a", "a/b/c"}, plugininstall.InstallOptions{})
	if err == nil || err.Error() != "Install target is invalid: a/b/c" || gh.seen("") != nil {
		t.Errorf("err = %v, requests = %v", err, gh.seen(""))
	}
}

func TestInstallProgressBarOnlyOnTerminal(t *testing.T) {
	t.Parallel()
	gh := newFakeGitHub(t)
	gh.release("o/check-p", "v1", map[string][]byte{"linux_amd64": makeZip(t, exe("check-p", strings.Repeat("p", 4096)))})
	// The second target is served chunked, with no Content-Length: a spinner-style bar.
	chunked := makeZip(t, exe("check-chunked", "c"))
	gh.handlers["/chunked.zip"] = func(w http.ResponseWriter, r *http.Request) {
		w.Write(chunked)
		w.(http.Flusher).Flush()
	}
	for _, tty := range []bool{false, true} {
		var bar bytes.Buffer
		cfg := gh.config(t.TempDir(), &logLines{})
		cfg.Progress, cfg.ProgressIsTerminal = &bar, tty
		targets := []string{"o/check-p", gh.srv.URL + "/chunked.zip"}
		if err := mustNew(t, cfg).Install(context.Background(), targets, plugininstall.InstallOptions{}); err != nil {
			t.Fatal(err)
		}
		if got := bar.String(); tty != strings.Contains(got, "Downloading") {
			t.Errorf("terminal=%v: progress output %q", tty, got)
		}
	}
}

// An archive entry that group or others may write is installed without
// those bits: plugins run as root under the agent.
func TestInstallDropsGroupOtherWrite(t *testing.T) {
	gh := newFakeGitHub(t)
	gh.release("o/mackerel-plugin-open", "v1", map[string][]byte{
		"linux_amd64": makeZip(t, entry{name: "mackerel-plugin-open", body: "#!/bin/sh\n", mode: 0o777}),
	})
	prefix := filepath.Join(t.TempDir(), "plugins")
	cfg := gh.config(prefix, &logLines{})
	cfg.GOOS, cfg.GOARCH = "linux", "amd64"
	in := mustNew(t, cfg)
	if err := in.Install(context.Background(), []string{"o/mackerel-plugin-open@v1"}, plugininstall.InstallOptions{}); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(prefix, "bin", "mackerel-plugin-open"))
	if err != nil || st.Mode().Perm() != 0o755 {
		t.Fatalf("mode of a 0777 archive entry once installed = %v, %v; want 0755", st.Mode(), err)
	}
}
