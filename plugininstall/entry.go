package plugininstall

import (
	"fmt"
	"io"
	"io/fs"
	"strings"
)

// checkEntry refuses names that would leave the extraction directory, links and
// special files, and entries whose declared size is over the limit.
func checkEntry(name string, kind entryKind, size, limit int64) error {
	if name == "" {
		return fmt.Errorf("%w: an entry has an empty name", ErrUnsafeArchive)
	}
	if strings.ContainsRune(name, 0) {
		return fmt.Errorf("%w: entry %q has a NUL byte in its name", ErrUnsafeArchive, name)
	}
	// Archives made on Windows may use backslashes, which are separators there.
	slashed := strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(slashed, "/") || hasDriveLetter(slashed) {
		return fmt.Errorf("%w: entry %q has an absolute path", ErrUnsafeArchive, name)
	}
	for _, seg := range strings.Split(slashed, "/") {
		if seg == ".." {
			return fmt.Errorf("%w: entry %q points outside the archive", ErrUnsafeArchive, name)
		}
	}
	switch kind {
	case kindSymlink:
		return fmt.Errorf("%w: entry %q is a symbolic link", ErrUnsafeArchive, name)
	case kindHardlink:
		return fmt.Errorf("%w: entry %q is a hard link", ErrUnsafeArchive, name)
	case kindSpecial:
		return fmt.Errorf("%w: entry %q is a device or other special file", ErrUnsafeArchive, name)
	}
	if size > limit {
		return fmt.Errorf("%w: archive entry %q is %d bytes, over the limit of %d bytes", ErrTooLarge, name, size, limit)
	}
	return nil
}

func hasDriveLetter(p string) bool {
	return len(p) >= 2 && p[1] == ':' && (p[0]|0x20 >= 'a' && p[0]|0x20 <= 'z')
}

// pluginFileName applies upstream's selection rule: a regular file at any depth whose
// basename starts with check- or mackerel-plugin-, is not itself an archive, and has an
// executable bit (any file counts for Windows, which has no such bit).
func pluginFileName(name string, kind entryKind, mode fs.FileMode, goos string) (string, bool) {
	if kind != kindFile || strings.HasSuffix(name, "/") {
		return "", false
	}
	slashed := strings.ReplaceAll(name, `\`, "/")
	base := slashed[strings.LastIndex(slashed, "/")+1:]
	if !strings.HasPrefix(base, "check-") && !strings.HasPrefix(base, "mackerel-plugin-") {
		return "", false
	}
	for _, ext := range []string{".zip", ".tar.gz", ".tgz"} {
		if strings.HasSuffix(base, ext) {
			return "", false
		}
	}
	if goos != "windows" && mode.Perm()&0o111 == 0 {
		return "", false
	}
	return base, true
}

// capReader fails once more than *left bytes come out of r, because a zip header's
// declared size and a tar stream can both lie about the real size. left may be shared
// by several readers that draw on one budget (an archive's total).
type capReader struct {
	r    io.Reader
	left *int64
	err  error // returned once the budget is exceeded
}

func (c *capReader) Read(p []byte) (int, error) {
	if int64(len(p)) > *c.left+1 {
		p = p[:*c.left+1]
	}
	n, err := c.r.Read(p)
	*c.left -= int64(n)
	if *c.left < 0 {
		return n, c.err
	}
	return n, err
}
