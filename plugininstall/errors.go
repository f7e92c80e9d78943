package plugininstall

import (
	"errors"
	"strings"
)

// Sentinel errors. Every error the package returns for one of these conditions wraps the
// matching sentinel, so the CLI tells failures apart with errors.Is and maps them to exit
// codes without matching message text.
var (
	// ErrInvalidTarget means an install target does not follow the grammar
	// owner/repo[@tag], name[@tag] or an http(s):// or file:// URL. The text is upstream
	// mkr's exact wording, capital letter included, because scripts grep for it.
	ErrInvalidTarget = errors.New("Install target is invalid") //nolint:staticcheck // upstream wording

	// ErrInvalidManifest means mkr-plugins.toml cannot be parsed or fails validation.
	ErrInvalidManifest = errors.New("invalid plugin manifest")

	// ErrLockMismatch means a Locked install refused to run: the lock is missing, disagrees
	// with the manifest, has no entry for this platform, or a download does not match a
	// recorded hash. Nothing was installed.
	ErrLockMismatch = errors.New("plugin lock does not match")

	// ErrChecksumMismatch means a downloaded archive or one of its files differs from the
	// hash recorded in the lock. In Locked mode the error also wraps ErrLockMismatch.
	ErrChecksumMismatch = errors.New("checksum mismatch")

	// ErrLockStale means Lock with Check found that the lock needs to change. The lock was
	// not written.
	ErrLockStale = errors.New("plugin lock is out of date")

	// ErrDrift means Verify found installed files that differ from what was recorded.
	ErrDrift = errors.New("installed plugin files differ from what was recorded")

	// ErrUnsafeArchive means an archive holds an entry the installer refuses to extract:
	// a path outside the archive, an absolute path, a link, a device or special file.
	ErrUnsafeArchive = errors.New("unsafe archive")

	// ErrTooLarge means a download, an archive entry or the total extracted from one
	// archive is over its configured size limit. Nothing was installed from the archive.
	ErrTooLarge = errors.New("size limit exceeded")

	// ErrTooManyEntries means an archive holds more entries than Config.MaxEntries.
	// Nothing was installed from it.
	ErrTooManyEntries = errors.New("entry limit exceeded")

	// ErrStalled means a server sent nothing for Config.IdleTimeout: no response
	// headers, or no more of the body.
	ErrStalled = errors.New("download stalled")

	// ErrNotInstalled means Uninstall found no installed plugin with the given name.
	ErrNotInstalled = errors.New("plugin is not installed")
)

// problemsError reports every problem found in one pass, so that a user can fix them all
// at once instead of re-running the command once per mistake.
type problemsError struct {
	header   string
	problems []string
	causes   []error
}

func (e *problemsError) Error() string {
	return e.header + ":\n  - " + strings.Join(e.problems, "\n  - ")
}

func (e *problemsError) Unwrap() []error { return e.causes }
