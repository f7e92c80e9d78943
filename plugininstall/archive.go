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

// archiveRules decide which entries are plugin files and how much one archive may hold.
type archiveRules struct {
	goos       string // the platform the archive is for: on Windows any file is executable
	maxEntry   int64  // bytes of one entry
	maxTotal   int64  // bytes extracted from one archive, all entries together
	maxEntries int    // entries of any kind (files, directories, headers) in one archive
}

// pluginEntry is an archive entry that will be installed as bin/<name>.
type pluginEntry struct {
	name string      // flattened basename
	mode fs.FileMode // permission bits from the archive
}

// walkArchive calls fn with each plugin file of a .zip, .tar.gz/.tgz or .tar archive.
// The whole archive is refused (ErrUnsafeArchive, ErrTooLarge, ErrTooManyEntries) as
// soon as any entry is hostile, even one that would not be installed: an archive
// carrying a zip-slip entry is not trustworthy as a whole.
//
// The total-size budget (rules.maxTotal) is charged with the bytes actually read out of
// the archive, whatever the headers declare: the plugin files handed to fn and, in a
// tar stream, the content of every other entry too, since it has to be decompressed to
// get past it. A zip's other entries are never decompressed, so they cost nothing.
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
	w := &walker{ctx: ctx, rules: rules, archive: name, fn: fn, seen: map[string]bool{}, left: rules.maxTotal}
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
	ctx     context.Context
	rules   archiveRules
	archive string // its file name, for errors
	fn      func(pluginEntry, io.Reader) error
	seen    map[string]bool
	entries int   // counted so far
	left    int64 // of rules.maxTotal; shared by every entry's reader
	stream  bool  // a tar stream: every entry's content is read, not only plugin files
}

func (w *walker) errTotal() error {
	return fmt.Errorf("%w: archive %s extracts to more than %d bytes (the limit for one archive)", ErrTooLarge, w.archive, w.rules.maxTotal)
}

// count charges one entry, of any kind, to the entry limit.
func (w *walker) count() error {
	w.entries++
	if w.entries > w.rules.maxEntries {
		return w.errEntries()
	}
	return nil
}

func (w *walker) errEntries() error {
	return fmt.Errorf("%w: archive %s has more than %d entries (the limit for one archive)", ErrTooManyEntries, w.archive, w.rules.maxEntries)
}

func (w *walker) zip(f *os.File, size int64) error {
	zr, err := zip.NewReader(f, size)
	// ErrInsecurePath (GODEBUG zipinsecurepath=0) comes with a usable reader; the
	// entry checks below refuse those names with a better message.
	if err != nil && (zr == nil || !errors.Is(err, zip.ErrInsecurePath)) {
		return fmt.Errorf("reading zip archive: %w", err)
	}
	// The central directory is already read: refuse before extracting anything.
	if len(zr.File) > w.rules.maxEntries {
		return w.errEntries()
	}
	for _, zf := range zr.File {
		if err := w.count(); err != nil {
			return err
		}
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
	w.stream = true
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil && (hdr == nil || !errors.Is(err, tar.ErrInsecurePath)) {
			return fmt.Errorf("reading tar archive: %w", err)
		}
		if err := w.count(); err != nil {
			return err
		}
		if hdr.Typeflag == tar.TypeXGlobalHeader {
			continue
		}
		open := func() (io.ReadCloser, error) { return io.NopCloser(tr), nil }
		if err := w.entry(hdr.Name, tarKind(hdr.Typeflag), hdr.FileInfo().Mode(), hdr.Size, open); err != nil {
			return err
		}
		// Skip the rest of the entry (all of it, if it is not a plugin file) through the
		// budget: Next would decompress it just the same, uncounted.
		if _, err := io.Copy(io.Discard, w.budget(tr)); err != nil {
			if errors.Is(err, ErrTooLarge) {
				return err
			}
			return fmt.Errorf("reading tar archive: %w", err)
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
	// The declared size only lets an honest bomb fail early; the readers below count
	// what really comes out.
	if (ok || w.stream) && kind == kindFile && size > w.left {
		return w.errTotal()
	}
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
	entryLeft := w.rules.maxEntry
	entryErr := fmt.Errorf("%w: archive entry %q is over the limit of %d bytes", ErrTooLarge, name, w.rules.maxEntry)
	// Plugins run as root under the agent: never install one that group or
	// others may write, whatever the archive says.
	return w.fn(pluginEntry{name: base, mode: mode.Perm() &^ 0o022},
		&capReader{r: w.budget(rc), left: &entryLeft, err: entryErr})
}

// budget charges what is read from r to the archive's total.
func (w *walker) budget(r io.Reader) io.Reader {
	return &capReader{r: r, left: &w.left, err: w.errTotal()}
}
