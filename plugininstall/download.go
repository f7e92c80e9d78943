package plugininstall

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/internal/redact"
	"github.com/schollz/progressbar/v3"
)

// fetched is a downloaded archive, relative to the root it was written into.
type fetched struct {
	path   string
	sha256 string
	size   int64
}

// fetch downloads rawURL into dir/<basename> under root, hashing as it streams so the
// archive is never read twice, and refuses anything over MaxDownloadSize. A body shorter
// than its Content-Length is an error: a truncated zip could still list some entries.
func (in *Installer) fetch(ctx context.Context, root *os.Root, dir, rawURL string) (fetched, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fetched{}, fmt.Errorf("invalid URL %q: %w", redact.URL(rawURL), err)
	}
	in.logf("Downloading %s", redact.URL(rawURL))
	body, length, err := in.open(ctx, u)
	if err != nil {
		return fetched{}, err
	}
	defer body.Close()
	limit := in.cfg.MaxDownloadSize
	if length > limit {
		return fetched{}, fmt.Errorf("%w: %s is %d bytes, over the limit of %d bytes", ErrTooLarge, redact.URL(rawURL), length, limit)
	}
	name := path.Join(dir, archiveName(u))
	out, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fetched{}, err
	}
	defer out.Close()
	h := sha256.New()
	bar, done := in.progress(length)
	n, err := io.Copy(io.MultiWriter(out, h, bar), io.LimitReader(body, limit+1))
	done(err == nil && n <= limit)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) && length >= 0:
		return fetched{}, fmt.Errorf("download of %s is truncated: got %d of %d bytes", redact.URL(rawURL), n, length)
	case err != nil:
		return fetched{}, fmt.Errorf("downloading %s: %w", redact.URL(rawURL), err)
	case n > limit:
		return fetched{}, fmt.Errorf("%w: %s is over the limit of %d bytes", ErrTooLarge, redact.URL(rawURL), limit)
	case length >= 0 && n != length:
		return fetched{}, fmt.Errorf("download of %s is truncated: got %d of %d bytes", redact.URL(rawURL), n, length)
	}
	if err := out.Close(); err != nil {
		return fetched{}, err
	}
	return fetched{path: name, sha256: hex.EncodeToString(h.Sum(nil)), size: n}, nil
}

// open returns the body of a file:// or http(s):// URL and its length (-1 if unknown).
// The download request carries no token: upstream never sent one, and release assets
// of public repositories need none.
func (in *Installer) open(ctx context.Context, u *url.URL) (io.ReadCloser, int64, error) {
	switch u.Scheme {
	case "file":
		f, err := os.Open(fileURLPath(u))
		if err != nil {
			return nil, 0, err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, 0, err
		}
		return f, st.Size(), nil
	case "http", "https":
		req, err := in.newRequest(ctx, http.MethodGet, u.String())
		if err != nil {
			return nil, 0, err
		}
		resp, err := in.do(in.cfg.HTTPClient, req)
		if err != nil {
			return nil, 0, err
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return nil, 0, errNotOK(resp.StatusCode, u.String())
		}
		return resp.Body, resp.ContentLength, nil
	}
	return nil, 0, fmt.Errorf("unsupported URL scheme %q", u.Scheme)
}

// fileURLPath maps file:///C:/x to C:\x on Windows and file:///x to /x elsewhere.
func fileURLPath(u *url.URL) string {
	p := u.Path
	if len(p) >= 3 && p[0] == '/' && p[2] == ':' {
		p = p[1:]
	}
	return filepath.FromSlash(p)
}

// archiveName is the local file name of a download. It keeps the URL's basename because
// the archive format is also detected by name.
func archiveName(u *url.URL) string {
	name := path.Base(u.Path)
	if name == "." || name == "/" || name == "" || strings.HasPrefix(name, ".") {
		return "download"
	}
	return name
}

// progress returns a writer that draws a byte progress bar, or io.Discard when the
// caller did not say the progress writer is a terminal. done(ok) finishes the bar.
func (in *Installer) progress(length int64) (io.Writer, func(ok bool)) {
	w := in.cfg.Progress
	if w == nil || !in.cfg.ProgressIsTerminal {
		return io.Discard, func(bool) {}
	}
	if length <= 0 {
		length = -1
	}
	bar := progressbar.NewOptions64(length,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("Downloading"),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(20),
		progressbar.OptionThrottle(65*time.Millisecond),
		// No spinner goroutine: it would outlive a failed download.
		progressbar.OptionSetSpinnerChangeInterval(0),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)
	return drawOnly{bar}, func(ok bool) {
		if ok {
			_ = bar.Finish()
			return
		}
		_ = bar.Exit()
	}
}

// drawOnly ignores the bar's errors: a drawing problem must never abort a download.
type drawOnly struct{ w io.Writer }

func (d drawOnly) Write(p []byte) (int, error) {
	_, _ = d.w.Write(p)
	return len(p), nil
}
