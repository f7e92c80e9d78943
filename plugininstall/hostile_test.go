package plugininstall_test

import (
	"archive/tar"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/plugininstall"
)

// TestHostileArchivesAreRefused installs a good plugin, then tries archives that must
// be refused as a whole. Each archive starts with a new version of the good plugin, so
// a refusal that came too late would show up as a replaced binary.
func TestHostileArchivesAreRefused(t *testing.T) {
	t.Parallel()
	good := exe("check-keep", "new version")
	cases := []struct {
		name    string
		archive func(t *testing.T) []byte
		handler http.HandlerFunc // instead of serving archive
		want    string
		is      error
	}{
		{name: "zip slip", want: `unsafe archive: entry "../../evil/check-evil" points outside the archive`, is: plugininstall.ErrUnsafeArchive,
			archive: func(t *testing.T) []byte { return makeZip(t, good, exe("../../evil/check-evil", "pwned")) }},
		{name: "zip slip with backslashes", want: `unsafe archive: entry "a\\..\\..\\check-evil" points outside the archive`, is: plugininstall.ErrUnsafeArchive,
			archive: func(t *testing.T) []byte { return makeZip(t, good, exe(`a\..\..\check-evil`, "pwned")) }},
		{name: "tar slip", want: `unsafe archive: entry "x/../../check-evil" points outside the archive`, is: plugininstall.ErrUnsafeArchive,
			archive: func(t *testing.T) []byte { return makeTarGz(t, good, exe("x/../../check-evil", "pwned")) }},
		{name: "absolute path", want: `unsafe archive: entry "/tmp/evil/check-evil" has an absolute path`, is: plugininstall.ErrUnsafeArchive,
			archive: func(t *testing.T) []byte { return makeZip(t, good, exe("/tmp/evil/check-evil", "pwned")) }},
		{name: "drive letter", want: `unsafe archive: entry "C:/evil/check-evil" has an absolute path`, is: plugininstall.ErrUnsafeArchive,
			archive: func(t *testing.T) []byte { return makeTarGz(t, good, exe("C:/evil/check-evil", "pwned")) }},
		{name: "zip symlink escaping the prefix", want: `unsafe archive: entry "check-link" is a symbolic link`, is: plugininstall.ErrUnsafeArchive,
			archive: func(t *testing.T) []byte {
				return makeZip(t, good, entry{name: "check-link", typ: tar.TypeSymlink, link: "../../../../evil"}, exe("check-link/check-evil", "pwned"))
			}},
		{name: "tar symlink", want: `unsafe archive: entry "bin" is a symbolic link`, is: plugininstall.ErrUnsafeArchive,
			archive: func(t *testing.T) []byte {
				return makeTarGz(t, good, entry{name: "bin", typ: tar.TypeSymlink, link: "/etc"}, exe("bin/check-evil", "pwned"))
			}},
		{name: "hard link", want: `unsafe archive: entry "check-hard" is a hard link`, is: plugininstall.ErrUnsafeArchive,
			archive: func(t *testing.T) []byte {
				return makeTarGz(t, good, entry{name: "check-hard", typ: tar.TypeLink, link: "/etc/passwd", mode: 0o755})
			}},
		{name: "device file", want: `unsafe archive: entry "check-dev" is a device or other special file`, is: plugininstall.ErrUnsafeArchive,
			archive: func(t *testing.T) []byte {
				return makeTarGz(t, good, entry{name: "check-dev", typ: tar.TypeChar, mode: 0o755})
			}},
		{name: "oversized entry", want: `size limit exceeded: archive entry "docs/big.txt" is 2048 bytes, over the limit of 1024 bytes`, is: plugininstall.ErrTooLarge,
			archive: func(t *testing.T) []byte {
				return makeZip(t, good, entry{name: "docs/big.txt", body: strings.Repeat("b", 2048)})
			}},
		{name: "duplicate names", want: "unsafe archive: more than one file is named check-keep", is: plugininstall.ErrUnsafeArchive,
			archive: func(t *testing.T) []byte { return makeZip(t, good, exe("other/check-keep", "second")) }},
		{name: "no plugin inside", want: "check-keep_linux_amd64.zip contains no executable check-* or mackerel-plugin-* file",
			archive: func(t *testing.T) []byte {
				return makeZip(t, exe("README", "x"), entry{name: "check-keep", body: "not executable"})
			}},
		{name: "not an archive", want: "unsupported archive format: check-keep_linux_amd64.zip (want .zip, .tar.gz or .tgz)",
			archive: func(t *testing.T) []byte { return []byte("#!/bin/sh\necho I am not a zip\n") }},
		{name: "truncated download", want: "download of {url} is truncated: got 9 of 1000 bytes",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "1000")
				w.Write([]byte("PK\x03\x04trunc"))
			}},
		{name: "download over the cap", want: "size limit exceeded: {url} is 5000 bytes, over the limit of 4096 bytes", is: plugininstall.ErrTooLarge,
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "5000")
				w.Write([]byte(strings.Repeat("x", 5000)))
			}},
		{name: "chunked download over the cap", want: "size limit exceeded: {url} is over the limit of 4096 bytes", is: plugininstall.ErrTooLarge,
			handler: func(w http.ResponseWriter, r *http.Request) {
				for range 10 {
					w.Write([]byte(strings.Repeat("x", 1000)))
					w.(http.Flusher).Flush()
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			gh := newFakeGitHub(t)
			gh.release("o/check-keep", "v1", map[string][]byte{"linux_amd64": makeZip(t, exe("check-keep", "previous"))})
			outer := t.TempDir()
			prefix := filepath.Join(outer, "a", "b", "prefix")
			cfg := gh.config(prefix, &logLines{})
			cfg.MaxFileSize, cfg.MaxDownloadSize = 1024, 4096
			in := mustNew(t, cfg)
			if err := in.Install(context.Background(), []string{"o/check-keep"}, plugininstall.InstallOptions{}); err != nil {
				t.Fatal(err)
			}
			before := tree(t, outer)

			path := gh.assetPath("o/check-keep", "v2", "linux_amd64")
			gh.set(func(f *fakeGitHub) {
				f.latest["o/check-keep"] = "v2"
				if tc.handler != nil {
					f.handlers[path] = tc.handler
				} else {
					f.assets[path] = tc.archive(t)
				}
			})
			err := in.Install(context.Background(), []string{"o/check-keep"}, plugininstall.InstallOptions{Upgrade: true})
			wantErr(t, err, strings.ReplaceAll(tc.want, "{url}", gh.srv.URL+path))
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error does not wrap %v", tc.is)
			}
			// Nothing changed anywhere: not the old binary, not meta, no stray files
			// (temporary or "evil") inside or outside the prefix.
			after := tree(t, outer)
			if strings.Join(keys(after), " ") != strings.Join(keys(before), " ") {
				t.Errorf("filesystem changed:\nbefore %v\nafter  %v", keys(before), keys(after))
			}
			for k, v := range before {
				if after[k] != v {
					t.Errorf("%s changed: %q → %q", k, v, after[k])
				}
			}
			if _, err := os.Lstat(filepath.Join(outer, "a", "evil")); err == nil {
				t.Error("evil file written outside the prefix")
			}
		})
	}
}

func TestOversizedTarEntry(t *testing.T) {
	t.Parallel()
	gh := newFakeGitHub(t)
	gh.assets["/big.tar.gz"] = makeTarGz(t, exe("check-big", strings.Repeat("z", 100)))
	cfg := gh.config(t.TempDir(), &logLines{})
	cfg.MaxFileSize = 64
	err := mustNew(t, cfg).Install(context.Background(), []string{gh.srv.URL + "/big.tar.gz"}, plugininstall.InstallOptions{})
	wantErr(t, err, `size limit exceeded: archive entry "check-big" is 100 bytes, over the limit of 64 bytes`)
}
