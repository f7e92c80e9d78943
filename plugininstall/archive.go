package plugininstall

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// archiveRules decide which entries are plugin files and how large one may be.
type archiveRules struct {
	goos     string // the platform the archive is for: on Windows any file is executable
	maxEntry int64
}

// pluginEntry is an archive entry that will be installed as bin/<name>.
type pluginEntry struct {
	name string      // flattened basename
	mode fs.FileMode // permission bits from the archive
}

// walkArchive calls fn with each plugin file of a .zip, .tar.gz/.tgz or .tar archive.
// The whole archive is refused (ErrUnsafeArchive, ErrTooLarge) as soon as any entry is
// hostile, even one that would not be installed: an archive carrying a zip-slip entry
// is not trustworthy as a whole.
func walkArchive(ctx context.Context, f *os.File, name string, rules archiveRules, fn func(pluginEntry, io.Reader) error) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	head := make([]byte, 512)
	n, err := f.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	head = head[:n]
	lower := strings.ToLower(name)
	w := &walker{ctx: ctx, rules: rules, fn: fn, seen: map[string]bool{}}
	// Content wins over the name: servers often serve archives under odd names.
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return w.zip(f, st.Size())
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return w.tarGz(f)
	case len(head) >= 262 && string(head[257:262]) == "ustar":
		return w.tar(f)
	case strings.HasSuffix(lower, ".tar"):
		return w.tar(f)
	}
	return fmt.Errorf("unsupported archive format: %s (want .zip, .tar.gz or .tgz)", name)
}

type walker struct {
	ctx   context.Context
	rules archiveRules
	fn    func(pluginEntry, io.Reader) error
	seen  map[string]bool
}

func (w *walker) zip(f *os.File, size int64) error {
	zr, err := zip.NewReader(f, size)
	// ErrInsecurePath (GODEBUG zipinsecurepath=0) comes with a usable reader; the
	// entry checks below refuse those names with a better message.
	if err != nil && (zr == nil || !errors.Is(err, zip.ErrInsecurePath)) {
		return fmt.Errorf("reading zip archive: %w", err)
	}
	for _, zf := range zr.File {
		mode := zf.Mode()
		size := int64(zf.UncompressedSize64)
		if zf.UncompressedSize64 > 1<<62 {
			size = 1 << 62
		}
		if err := w.entry(zf.Name, modeKind(mode), mode, size, zf.Open); err != nil {
			return err
		}
	}
	return nil
}

func (w *walker) tarGz(r io.Reader) error {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("reading gzip archive: %w", err)
	}
	defer gz.Close()
	return w.tar(gz)
}

func (w *walker) tar(r io.Reader) error {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil && (hdr == nil || !errors.Is(err, tar.ErrInsecurePath)) {
			return fmt.Errorf("reading tar archive: %w", err)
		}
		if hdr.Typeflag == tar.TypeXGlobalHeader {
			continue
		}
		open := func() (io.ReadCloser, error) { return io.NopCloser(tr), nil }
		if err := w.entry(hdr.Name, tarKind(hdr.Typeflag), hdr.FileInfo().Mode(), hdr.Size, open); err != nil {
			return err
		}
	}
}

// entryKind is what an archive entry is, independent of the archive format.
type entryKind int

const (
	kindFile entryKind = iota
	kindDir
	kindSymlink
	kindHardlink
	kindSpecial
)

func modeKind(m fs.FileMode) entryKind {
	switch {
	case m.IsDir():
		return kindDir
	case m&fs.ModeSymlink != 0:
		return kindSymlink
	case !m.IsRegular():
		return kindSpecial
	}
	return kindFile
}

func tarKind(t byte) entryKind {
	switch t {
	case tar.TypeReg, 0:
		return kindFile
	case tar.TypeDir:
		return kindDir
	case tar.TypeSymlink:
		return kindSymlink
	case tar.TypeLink:
		return kindHardlink
	}
	return kindSpecial
}

// entry checks one entry and hands plugin files to fn.
func (w *walker) entry(name string, kind entryKind, mode fs.FileMode, size int64, open func() (io.ReadCloser, error)) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	if err := checkEntry(name, kind, size, w.rules.maxEntry); err != nil {
		return err
	}
	base, ok := pluginFileName(name, kind, mode, w.rules.goos)
	if !ok {
		return nil
	}
	if w.seen[base] {
		return fmt.Errorf("%w: more than one file is named %s", ErrUnsafeArchive, base)
	}
	w.seen[base] = true
	rc, err := open()
	if err != nil {
		return fmt.Errorf("opening %s in the archive: %w", name, err)
	}
	defer rc.Close()
	// Plugins run as root under the agent: never install one that group or
	// others may write, whatever the archive says.
	return w.fn(pluginEntry{name: base, mode: mode.Perm() &^ 0o022},
		&capReader{r: rc, left: w.rules.maxEntry, limit: w.rules.maxEntry, name: name})
}
