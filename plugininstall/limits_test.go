package plugininstall_test

import (
	"archive/tar"
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/plugininstall"
)

// TestArchiveLimits installs archives that expand past a small total-size cap or hold
// more entries than the entry cap (zip and tar.gz alike): each must fail naming the
// archive and the limit, and leave no file in bin/ or meta/. Archives at the limits
// install.
func TestArchiveLimits(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", 600) // compresses to a few bytes
	cases := []struct {
		name    string
		archive func(t *testing.T) []byte
		want    string // "" means the install succeeds
		is      error
	}{
		{name: "zip over the total", is: plugininstall.ErrTooLarge,
			want: "size limit exceeded: archive check-keep_linux_amd64.zip extracts to more than 1024 bytes (the limit for one archive)",
			archive: func(t *testing.T) []byte {
				return makeZip(t, exe("check-a", big), exe("check-b", big), exe("check-c", big))
			}},
		{name: "tar.gz over the total", is: plugininstall.ErrTooLarge,
			want: "size limit exceeded: archive check-keep_linux_amd64.zip extracts to more than 1024 bytes (the limit for one archive)",
			archive: func(t *testing.T) []byte {
				return makeTarGz(t, exe("check-a", big), exe("check-b", big), exe("check-c", big))
			}},
		{name: "tar.gz whose skipped entries expand past the total", is: plugininstall.ErrTooLarge,
			want: "size limit exceeded: archive check-keep_linux_amd64.zip extracts to more than 1024 bytes (the limit for one archive)",
			archive: func(t *testing.T) []byte {
				return makeTarGz(t, exe("check-a", "small"), entry{name: "doc/a.txt", body: big}, entry{name: "doc/b.txt", body: big})
			}},
		{name: "zip at the total", archive: func(t *testing.T) []byte {
			return makeZip(t, exe("check-a", big[:512]), exe("check-b", big[:512]), entry{name: "doc/a.txt", body: big})
		}},
		{name: "tar.gz at the total", archive: func(t *testing.T) []byte {
			return makeTarGz(t, exe("check-a", big[:512]), exe("check-b", big[:512]))
		}},
		{name: "zip with too many entries", is: plugininstall.ErrTooManyEntries,
			want: "entry limit exceeded: archive check-keep_linux_amd64.zip has more than 4 entries (the limit for one archive)",
			archive: func(t *testing.T) []byte {
				return makeZip(t, entry{name: "d/", typ: tar.TypeDir}, exe("d/check-a", "a"), exe("d/check-b", "b"),
					entry{name: "d/README", body: "r"}, entry{name: "d/LICENSE", body: "l"})
			}},
		{name: "tar.gz with too many entries", is: plugininstall.ErrTooManyEntries,
			want: "entry limit exceeded: archive check-keep_linux_amd64.zip has more than 4 entries (the limit for one archive)",
			archive: func(t *testing.T) []byte {
				return makeTarGz(t, entry{name: "d/", typ: tar.TypeDir}, exe("d/check-a", "a"), exe("d/check-b", "b"),
					entry{name: "d/README", body: "r"}, entry{name: "d/LICENSE", body: "l"})
			}},
		{name: "zip at the entry limit", archive: func(t *testing.T) []byte {
			return makeZip(t, entry{name: "d/", typ: tar.TypeDir}, exe("d/check-a", "a"), exe("d/check-b", "b"), entry{name: "d/README", body: "r"})
		}},
		{name: "tar.gz at the entry limit", archive: func(t *testing.T) []byte {
			return makeTarGz(t, entry{name: "d/", typ: tar.TypeDir}, exe("d/check-a", "a"), exe("d/check-b", "b"), entry{name: "d/README", body: "r"})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			gh := newFakeGitHub(t)
			gh.release("o/check-keep", "v1", map[string][]byte{"linux_amd64": tc.archive(t)})
			prefix := filepath.Join(t.TempDir(), "prefix")
			cfg := gh.config(prefix, &logLines{})
			cfg.MaxExtractSize, cfg.MaxEntries = 1024, 4
			err := mustNew(t, cfg).Install(context.Background(), []string{"o/check-keep"}, plugininstall.InstallOptions{})
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := tree(t, prefix)["bin/check-a"]; !ok {
					t.Fatalf("check-a not installed: %v", keys(tree(t, prefix)))
				}
				return
			}
			wantErr(t, err, "Failed to install plugin o/check-keep while extracting and placing: "+tc.want)
			if !errors.Is(err, tc.is) {
				t.Errorf("error does not wrap %v", tc.is)
			}
			for name, content := range tree(t, prefix) {
				if content != "<dir>" && (strings.HasPrefix(name, "bin/") || strings.HasPrefix(name, "meta/")) {
					t.Errorf("%s left behind", name)
				}
			}
		})
	}
}

// TestStalledDownload serves a download that stops (after the headers, or before them)
// and expects an ErrStalled naming the URL without its credentials, well before the
// context deadline that only keeps a regression from hanging the test.
func TestStalledDownload(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{name: "headers then silence", want: "while downloading a plugin: downloading {url}: download stalled: no data for 200ms",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "1000")
				w.Write([]byte("PK\x03\x04"))
				w.(http.Flusher).Flush()
				<-r.Context().Done()
			}},
		{name: "no headers", want: "while downloading a plugin: download stalled: no response from {url} within 200ms",
			handler: func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			gh := newFakeGitHub(t)
			gh.set(func(f *fakeGitHub) { f.handlers["/stall.zip"] = tc.handler })
			prefix := t.TempDir()
			cfg := gh.config(prefix, &logLines{})
			cfg.IdleTimeout = 200 * time.Millisecond
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			target := strings.Replace(gh.srv.URL, "http://", "http://user:secret@", 1) + "/stall.zip"
			err := mustNew(t, cfg).Install(ctx, []string{target}, plugininstall.InstallOptions{})
			redacted := strings.Replace(gh.srv.URL, "http://", "http://[REDACTED]@", 1) + "/stall.zip"
			wantErr(t, err, strings.ReplaceAll(tc.want, "{url}", redacted))
			if !errors.Is(err, plugininstall.ErrStalled) || errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error %v: want ErrStalled, not the test's deadline", err)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error shows the password: %v", err)
			}
			if got := tree(t, filepath.Join(prefix, "bin")); len(got) != 0 {
				t.Errorf("bin/ holds %v", keys(got))
			}
		})
	}
}

// TestContextCancelsAStalledDownload: with an idle timeout far away, the caller's
// context still ends a stalled download, and the error says so (not ErrStalled).
func TestContextCancelsAStalledDownload(t *testing.T) {
	t.Parallel()
	for _, headers := range []bool{true, false} {
		gh := newFakeGitHub(t)
		gh.set(func(f *fakeGitHub) {
			f.handlers["/stall.zip"] = func(w http.ResponseWriter, r *http.Request) {
				if headers {
					w.Header().Set("Content-Length", "1000")
					w.(http.Flusher).Flush()
				}
				<-r.Context().Done()
			}
		})
		cfg := gh.config(t.TempDir(), &logLines{})
		cfg.IdleTimeout = time.Hour
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := mustNew(t, cfg).Install(ctx, []string{gh.srv.URL + "/stall.zip"}, plugininstall.InstallOptions{})
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, plugininstall.ErrStalled) {
			t.Errorf("headers %v: error %v, want the context's deadline", headers, err)
		}
	}
}
