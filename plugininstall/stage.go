package plugininstall

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
)

// lockedFile is the recorded identity of one installed file.
type lockedFile struct {
	Mode   string `json:"mode"`
	SHA256 string `json:"sha256"`
}

func formatMode(m os.FileMode) string { return fmt.Sprintf("%04o", m.Perm()) }

// stagedFile is an extracted plugin file waiting under a temporary name in bin/.
type stagedFile struct {
	name string
	tmp  string
	file lockedFile
}

// staging holds a whole archive's plugin files as temporary files in bin/ (the same
// directory, so the final rename is atomic and never crosses a filesystem). Nothing
// visible changes until commit; discard removes every trace.
type staging struct {
	root  *os.Root
	files []stagedFile
}

// errNoPlugins is returned for an archive without a single plugin file, which is
// almost always the wrong asset (a source tarball, another platform's build).
func errNoPlugins(archive string) error {
	return fmt.Errorf("%s contains no executable check-* or mackerel-plugin-* file", archive)
}

// stageArchive extracts the plugin files of src/archive into dst's bin/.
func stageArchive(ctx context.Context, src *os.Root, archive string, dst *os.Root, rules archiveRules) (*staging, error) {
	f, err := src.Open(archive)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s := &staging{root: dst}
	err = walkArchive(ctx, f, path.Base(archive), rules, func(e pluginEntry, r io.Reader) error {
		tmp := path.Join("bin", ".tmp-"+e.name+"-"+randomHex(6))
		out, err := dst.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		// Registered before writing, so that discard also removes a half-written file.
		s.files = append(s.files, stagedFile{name: e.name, tmp: tmp})
		h := sha256.New()
		_, err = io.Copy(io.MultiWriter(out, h), r)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("extracting %s: %w", e.name, err)
		}
		if err := dst.Chmod(tmp, e.mode); err != nil {
			return err
		}
		s.files[len(s.files)-1].file = lockedFile{Mode: formatMode(e.mode), SHA256: hex.EncodeToString(h.Sum(nil))}
		return nil
	})
	if err == nil && len(s.files) == 0 {
		err = errNoPlugins(path.Base(archive))
	}
	if err != nil {
		s.discard()
		return nil, err
	}
	return s, nil
}

// hashArchive computes what stageArchive would install, without writing anything; the
// lock records it for platforms other than the one being installed.
func hashArchive(ctx context.Context, src *os.Root, archive string, rules archiveRules) (map[string]lockedFile, error) {
	f, err := src.Open(archive)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	files := map[string]lockedFile{}
	err = walkArchive(ctx, f, path.Base(archive), rules, func(e pluginEntry, r io.Reader) error {
		h := sha256.New()
		if _, err := io.Copy(h, r); err != nil {
			return fmt.Errorf("extracting %s: %w", e.name, err)
		}
		files[e.name] = lockedFile{Mode: formatMode(e.mode), SHA256: hex.EncodeToString(h.Sum(nil))}
		return nil
	})
	if err == nil && len(files) == 0 {
		err = errNoPlugins(path.Base(archive))
	}
	if err != nil {
		return nil, err
	}
	return files, nil
}

// lockedFiles returns what the staged files are, keyed by name.
func (s *staging) lockedFiles() map[string]lockedFile {
	out := make(map[string]lockedFile, len(s.files))
	for _, f := range s.files {
		out[f.name] = f.file
	}
	return out
}

// commit renames each staged file over bin/<name>. Without overwrite an existing file
// is kept and reported as skipped, which is not an error (upstream's #700 regression
// made it one). Rename replaces a running binary without "text file busy" (mkr#720).
func (s *staging) commit(ws *workspace, overwrite bool, logf func(string, ...any)) (placed map[string]lockedFile, skipped []string, err error) {
	placed = map[string]lockedFile{}
	defer s.discard()
	for _, f := range s.files {
		dest := path.Join("bin", f.name)
		if !overwrite {
			if _, err := s.root.Lstat(dest); err == nil {
				logf("%s already exists. Skip installing for now", ws.binPath(f.name))
				skipped = append(skipped, f.name)
				continue
			} else if !errors.Is(err, os.ErrNotExist) {
				return placed, skipped, err
			}
		}
		logf("Installing %s", ws.binPath(f.name))
		if err := s.root.Rename(f.tmp, dest); err != nil {
			return placed, skipped, fmt.Errorf("installing %s: %w", ws.binPath(f.name), err)
		}
		placed[f.name] = f.file
	}
	return placed, skipped, nil
}

// discard removes whatever temporary files are left; after commit that is only the
// skipped ones.
func (s *staging) discard() {
	for _, f := range s.files {
		_ = s.root.Remove(f.tmp)
	}
	s.files = nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}
