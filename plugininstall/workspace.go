package plugininstall

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"

	"github.com/mkr-dev/mkr/internal/redact"
)

// Names inside the prefix. bin/, work/ and meta/<owner>/<repo>/release_tag are upstream
// mkr's layout and stay compatible with it; install.json and meta/_url/ are ours
// (upstream only ever reads release_tag, and "_url" cannot be a GitHub owner).
const (
	releaseTagFile = "release_tag"
	recordFile     = "install.json"
	urlMetaOwner   = "_url"
)

// workspace is an install prefix, opened as an os.Root so that no path computed from
// an archive, a redirect or a registry entry can reach outside it.
type workspace struct {
	dir  string
	root *os.Root
}

// openWorkspace opens prefix. With create it makes the prefix and bin/, work/ and
// meta/ (0755, as upstream); without it a missing prefix is fs.ErrNotExist.
func openWorkspace(prefix string, create bool) (*workspace, error) {
	if create {
		if err := os.MkdirAll(prefix, 0o755); err != nil {
			return nil, err
		}
	}
	root, err := os.OpenRoot(prefix)
	if err != nil {
		return nil, err
	}
	if create {
		for _, d := range []string{"bin", "work", "meta"} {
			if err := root.MkdirAll(d, 0o755); err != nil {
				root.Close()
				return nil, err
			}
		}
	}
	return &workspace{dir: prefix, root: root}, nil
}

func (w *workspace) Close() error { return w.root.Close() }

// binPath is the path shown to users and put in results.
func (w *workspace) binPath(name string) string { return filepath.Join(w.dir, "bin", name) }

// newWorkDir makes work/mkr-plugin-installer-XXXX for downloads; remove deletes it.
func (w *workspace) newWorkDir() (dir string, remove func(), err error) {
	dir = path.Join("work", "mkr-plugin-installer-"+randomHex(8))
	if err := w.root.Mkdir(dir, 0o700); err != nil {
		return "", nil, err
	}
	return dir, func() { _ = w.root.RemoveAll(dir) }, nil
}

// installRecord is meta/<owner>/<repo>/install.json (or meta/_url/<hash>/install.json):
// exactly which files an install placed, so that uninstall and verify need no lock.
type installRecord struct {
	Files  map[string]lockedFile `json:"files"`
	Repo   string                `json:"repo,omitempty"`
	Source string                `json:"source"`
	Tag    string                `json:"tag,omitempty"`
	URL    string                `json:"url"`
}

// metaDir is where an install's meta lives. Plugins from a URL have no owner/repo and
// get a directory named after a hash of the URL.
func metaDir(repo, rawURL string) string {
	if repo != "" {
		return path.Join("meta", repo)
	}
	sum := sha256.Sum256([]byte(rawURL))
	return path.Join("meta", urlMetaOwner, hex.EncodeToString(sum[:8]))
}

func (w *workspace) readReleaseTag(repo string) (string, bool, error) {
	b, err := w.root.ReadFile(path.Join("meta", repo, releaseTagFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return string(b), true, nil
}

// readRecord returns nil without error when dir has no record.
func (w *workspace) readRecord(dir string) (*installRecord, error) {
	b, err := w.root.ReadFile(path.Join(dir, recordFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rec installRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, fmt.Errorf("reading %s: %w", filepath.Join(w.dir, dir, recordFile), err)
	}
	return &rec, nil
}

// saveInstall records a finished install. Files that were skipped stay recorded only
// if an earlier install of the same plugin recorded them: an existing file that came
// from elsewhere is not this plugin's to uninstall. When nothing was placed, meta is
// left as it was, so release_tag never claims a tag whose files are not there.
func (w *workspace) saveInstall(rec installRecord, placed map[string]lockedFile, skipped []string) error {
	if len(placed) == 0 {
		return nil
	}
	dir := metaDir(rec.Repo, rec.URL)
	prev, err := w.readRecord(dir)
	if err != nil {
		return err
	}
	rec.Files = map[string]lockedFile{}
	for _, name := range skipped {
		if f, ok := prev.fileEntry(name); ok {
			rec.Files[name] = f
		}
	}
	for name, f := range placed {
		rec.Files[name] = f
	}
	// The record is for people and for uninstall/verify, which need no
	// credentials: a URL's user-info is never stored.
	rec.URL, rec.Source = redact.URL(rec.URL), redact.URL(rec.Source)
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	if err := w.root.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := w.writeFile(path.Join(dir, recordFile), append(data, '\n')); err != nil {
		return err
	}
	if rec.Repo == "" {
		return nil
	}
	// Written last: release_tag is what --upgrade trusts.
	return w.writeFile(path.Join(dir, releaseTagFile), []byte(rec.Tag))
}

func (r *installRecord) fileEntry(name string) (lockedFile, bool) {
	if r == nil {
		return lockedFile{}, false
	}
	f, ok := r.Files[name]
	return f, ok
}

// writeFile replaces name atomically, and not at all when it already holds data.
func (w *workspace) writeFile(name string, data []byte) error {
	if old, err := w.root.ReadFile(name); err == nil && bytes.Equal(old, data) {
		return nil
	}
	tmp := name + ".tmp-" + randomHex(6)
	f, err := w.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, bytes.NewReader(data))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = w.root.Rename(tmp, name)
	}
	if err != nil {
		_ = w.root.Remove(tmp)
	}
	return err
}
