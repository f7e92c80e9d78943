package plugininstall

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Defaults, matching upstream mkr where upstream has a value.
const (
	// DefaultGitHubURL is where releases are downloaded from.
	DefaultGitHubURL = "https://github.com"
	// DefaultGitHubAPIURL is the GitHub REST API, used when the releases/latest redirect
	// does not give a tag and to resolve version constraints.
	DefaultGitHubAPIURL = "https://api.github.com"
	// DefaultRegistryURL hosts plugins/<name>.json, which maps short names to repositories.
	DefaultRegistryURL = "https://raw.githubusercontent.com/mackerelio/plugin-registry/master"
	// DefaultUnixPrefix is the install prefix everywhere but Windows.
	DefaultUnixPrefix = "/opt/mackerel-agent/plugins"
	// DefaultMaxDownloadSize caps one downloaded archive. Real plugin archives are a few
	// MiB; the cap only exists so that a hostile or broken server cannot fill the disk.
	DefaultMaxDownloadSize int64 = 512 << 20
	// DefaultMaxFileSize caps one archive entry once decompressed (zip-bomb defence).
	DefaultMaxFileSize int64 = 512 << 20
	// DefaultMaxExtractSize caps what one archive extracts to, all entries together
	// (zip-bomb defence: many entries each under DefaultMaxFileSize). A plugin archive
	// holds one or a few Go binaries of some tens of MiB each, so 1 GiB — twice
	// DefaultMaxFileSize — leaves ample room while bounding the disk and time a hostile
	// archive can take.
	DefaultMaxExtractSize int64 = 1 << 30
	// DefaultMaxEntries caps the entries (files, directories) of one archive. Real
	// plugin archives hold a handful (binary, README, licence); 10,000 bounds the
	// temporary files and work a hostile archive causes without any real one noticing.
	DefaultMaxEntries = 10000
	// DefaultIdleTimeout is how long a server may send nothing (no response headers, or
	// no more of the body) before a request fails. It is not an overall timeout, so a
	// slow but moving download of any size still completes.
	DefaultIdleTimeout = 30 * time.Second
)

// Environment variables read by ConfigFromEnv and DefaultTokenSource.
const (
	EnvGitHubURL    = "MKR_GITHUB_URL"
	EnvGitHubAPIURL = "MKR_GITHUB_API_URL"
	EnvRegistryURL  = "MKR_PLUGIN_REGISTRY_URL"
	EnvGitHubToken  = "GITHUB_TOKEN"
)

// Config holds everything an Installer depends on. The zero value of each field means
// "use the default"; nil funcs and writers mean "off".
type Config struct {
	// Prefix is the install prefix holding bin/, work/ and meta/. An empty Prefix lets
	// the manifest's prefix apply, then DefaultPrefix. A non-empty one (the --prefix
	// flag) wins over the manifest.
	Prefix string

	// GitHubURL, GitHubAPIURL and RegistryURL are the base URLs of the services used.
	GitHubURL    string
	GitHubAPIURL string
	RegistryURL  string

	// GOOS and GOARCH select the asset to install (default: the running platform).
	GOOS   string
	GOARCH string

	// Version is mkr's version, sent as User-Agent mkr-plugin-installer/<Version>.
	Version string

	// MaxDownloadSize, MaxFileSize and MaxExtractSize are the size caps in bytes: of one
	// download, of one archive entry, and of everything extracted from one archive
	// (counted as it is read, whatever the archive's headers declare). MaxEntries caps
	// the entries of one archive. An archive over a cap installs nothing.
	MaxDownloadSize int64
	MaxFileSize     int64
	MaxExtractSize  int64
	MaxEntries      int

	// IdleTimeout bounds how long any request waits for a server that sends nothing:
	// for the response headers, then between reads of the body. The context passed to
	// each method still cancels a request at any time.
	IdleTimeout time.Duration

	// HTTPClient is used for every request (default: a new http.Client).
	HTTPClient *http.Client

	// Token returns a GitHub token for API calls, or "". It is only called when the API
	// is needed. Nil means never send a token; ConfigFromEnv sets DefaultTokenSource.
	Token TokenSource

	// Logf receives the progress lines ("Downloading <url>", "Installing <dest>", ...).
	// The package never writes to os.Stdout or os.Stderr itself.
	Logf func(format string, args ...any)

	// Progress receives a download progress bar, drawn only when ProgressIsTerminal is
	// true, because control sequences in a log file or CI output are noise.
	Progress           io.Writer
	ProgressIsTerminal bool
}

// TokenSource returns a GitHub token, or "" when there is none.
type TokenSource func(ctx context.Context) string

// ConfigFromEnv returns a Config whose base URLs come from MKR_GITHUB_URL,
// MKR_GITHUB_API_URL and MKR_PLUGIN_REGISTRY_URL (unset means default) and whose token
// source is DefaultTokenSource. Pass os.Getenv in the CLI and a map lookup in tests.
func ConfigFromEnv(getenv func(string) string) Config {
	return Config{
		GitHubURL:    getenv(EnvGitHubURL),
		GitHubAPIURL: getenv(EnvGitHubAPIURL),
		RegistryURL:  getenv(EnvRegistryURL),
		Token:        DefaultTokenSource(getenv),
	}
}

// DefaultTokenSource behaves like upstream mkr: GITHUB_TOKEN, else
// `git config --get --null github.token`, so that GIT_CONFIG and includes work. A missing
// git or key simply means no token: anonymous API calls still work, only rate-limited.
func DefaultTokenSource(getenv func(string) string) TokenSource {
	return func(ctx context.Context) string {
		if t := getenv(EnvGitHubToken); t != "" {
			return t
		}
		out, err := exec.CommandContext(ctx, "git", "config", "--get", "--null", "github.token").Output()
		if err != nil {
			return ""
		}
		// --null terminates the value with NUL instead of a newline.
		return strings.TrimRight(string(out), "\x00")
	}
}

// DefaultPrefix is /opt/mackerel-agent/plugins, or on Windows the plugins directory
// next to the running executable, as upstream mkr does.
func DefaultPrefix() (string, error) {
	if runtime.GOOS != "windows" {
		return DefaultUnixPrefix, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("finding the default plugin prefix: %w", err)
	}
	return filepath.Join(filepath.Dir(exe), "plugins"), nil
}
