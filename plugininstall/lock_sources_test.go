package plugininstall_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/plugininstall"
)

// TestLockOtherSources locks a registry name, a URL with {GOOS}/{GOARCH} and a URL
// without them, for Linux and Windows (where any check-* file counts as executable).
func TestLockOtherSources(t *testing.T) {
	t.Parallel()
	p := newLockProject(t)
	p.gh.registry["json"] = `{"source":"mackerelio/mackerel-plugin-json"}`
	p.publish(t, "mackerelio/mackerel-plugin-json", "v1.2.0", "mackerel-plugin-json", "linux_amd64", "windows_amd64")
	p.gh.assets["/dl/check-t_linux_amd64.tar.gz"] = makeTarGz(t, exe("check-t", "t linux"))
	p.gh.assets["/dl/check-t_windows_amd64.tar.gz"] = makeTarGz(t, entry{name: "check-t.exe", body: "t windows", mode: 0o644})
	p.gh.assets["/dl/check-same.zip"] = makeZip(t, exe("check-same", "same"))
	p.writeManifest(t, []string{"linux_amd64", "windows_amd64"}, `
[[plugin]]
source = "json"

[[plugin]]
source = "`+p.gh.srv.URL+`/dl/check-t_{GOOS}_{GOARCH}.tar.gz"

[[plugin]]
source = "`+p.gh.srv.URL+`/dl/check-same.zip"
`)
	ctx := context.Background()
	in := p.installer(t, "linux_amd64")
	if _, err := in.Lock(ctx, p.manifest, plugininstall.LockOptions{}); err != nil {
		t.Fatal(err)
	}
	lock := readFile(t, p.lock)
	for _, want := range []string{
		`"source": "json"`, `"repo": "mackerelio/mackerel-plugin-json"`, `"tag": "v1.2.0"`,
		`"url": "` + p.gh.srv.URL + `/dl/check-t_windows_amd64.tar.gz"`,
		`"check-t.exe": {` + "\n" + `              "mode": "0644"`,
	} {
		if !strings.Contains(lock, want) {
			t.Errorf("lock lacks %s:\n%s", want, lock)
		}
	}
	// A URL without placeholders serves every platform: it is downloaded once.
	if n := len(p.gh.seen("GET /dl/check-same.zip")); n != 1 {
		t.Errorf("check-same.zip downloaded %d times", n)
	}

	// Installing it locked goes through the locked URLs only; the registry is not
	// asked again, but meta still lands under the resolved repository.
	p.gh.reset()
	if _, err := in.InstallFromManifest(ctx, p.manifest, plugininstall.ManifestOptions{Locked: true}); err != nil {
		t.Fatal(err)
	}
	for _, r := range p.gh.seen("") {
		if strings.Contains(r, "/registry/") || strings.Contains(r, "/api/") || strings.HasPrefix(r, "HEAD") {
			t.Errorf("locked install asked %s", r)
		}
	}
	if got := readFile(t, filepath.Join(p.prefix, "meta", "mackerelio", "mackerel-plugin-json", "release_tag")); got != "v1.2.0" {
		t.Errorf("release_tag = %q", got)
	}
	for name, want := range map[string]string{"check-t": "t linux", "check-same": "same", "mackerel-plugin-json": "mackerel-plugin-json v1.2.0 linux_amd64"} {
		if got := readFile(t, filepath.Join(p.prefix, "bin", name)); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

func TestReadLockRejectsBrokenLocks(t *testing.T) {
	t.Parallel()
	p := newLockProject(t, "linux_amd64")
	in := p.installer(t, "linux_amd64")
	for _, tc := range []struct{ lock, want string }{
		{`{"plugins": [], "version": 2}`, "unsupported lock format version 2 (this mkr reads 1)"},
		{`{"plugins": [], "version": 1, "extra": true}`, `json: unknown field "extra"`},
		{`{"plugins": [{"source": "o/check-b", "version": "v1", "platforms": {"linux_amd64": {"url": "http://x", "sha256": "", "size": 1, "files": {}}}}], "version": 1}`,
			"o/check-b: platform linux_amd64 is incomplete"},
		{`{"plugins": [{"source": "o/check-b", "version": "v1", "platforms": {"linux_amd64": {"url": "http://x", "sha256": "` +
			strings.Repeat("a", 64) + `", "size": 1, "files": {"../check-b": {"mode": "0755", "sha256": "` + strings.Repeat("b", 64) + `"}}}}}], "version": 1}`,
			`o/check-b: platform linux_amd64: file "../check-b" is invalid`},
		{`not json`, "reading " + p.lock},
	} {
		if err := os.WriteFile(p.lock, []byte(tc.lock), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := in.InstallFromManifest(context.Background(), p.manifest, plugininstall.ManifestOptions{Locked: true})
		wantErr(t, err, tc.want)
	}
	assertNothingInstalled(t, p.prefix)
}
