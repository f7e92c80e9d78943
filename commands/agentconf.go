package commands

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// agentConfig is the part of mackerel-agent.conf that mkr reads.
type agentConfig struct {
	APIKey  string `toml:"apikey"`
	APIBase string `toml:"apibase"`
	Root    string `toml:"root"`
	Include string `toml:"include"`
}

// defaultAgentConfPath is mackerel-agent's per-OS default config location.
func defaultAgentConfPath(home string) string {
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "mackerel-agent", "mackerel-agent.conf")
	case "windows":
		return filepath.Join(executableDir(), "mackerel-agent.conf")
	default:
		return "/etc/mackerel-agent/mackerel-agent.conf"
	}
}

// defaultAgentRoot is where mackerel-agent keeps its host id file.
func defaultAgentRoot(home string) string {
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "mackerel-agent")
	case "windows":
		return executableDir()
	default:
		return "/var/lib/mackerel-agent"
	}
}

func executableDir() string {
	exe, err := os.Executable()
	if err != nil {
		return "."
	}
	return filepath.Dir(exe)
}

// errNoConf means the config file does not exist.
var errNoConf = errors.New("config file not found")

// loadAgentConfig reads path and the files its include glob names (later
// files override earlier values, as in the agent).
func loadAgentConfig(path string) (*agentConfig, error) {
	var conf agentConfig
	if _, err := toml.DecodeFile(path, &conf); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", errNoConf, path)
		}
		return nil, fmt.Errorf("failed to load the config %q: %w", path, err)
	}
	if conf.Include == "" {
		return &conf, nil
	}
	pattern := conf.Include
	if !filepath.IsAbs(pattern) {
		pattern = filepath.Join(filepath.Dir(path), pattern)
	}
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return nil, fmt.Errorf("invalid include %q in %s: %w", conf.Include, path, err)
	}
	sort.Strings(matches)
	for _, m := range matches {
		var inc agentConfig
		if _, err := toml.DecodeFile(m, &inc); err != nil {
			return nil, fmt.Errorf("failed to load the included config %q: %w", m, err)
		}
		conf.merge(inc)
	}
	return &conf, nil
}

func (c *agentConfig) merge(o agentConfig) {
	if o.APIKey != "" {
		c.APIKey = o.APIKey
	}
	if o.APIBase != "" {
		c.APIBase = o.APIBase
	}
	if o.Root != "" {
		c.Root = o.Root
	}
}

// readHostID reads <root>/id; an absent or empty file yields "".
func readHostID(root string) (string, error) {
	data, err := os.ReadFile(filepath.Join(root, "id"))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(data), "\r\n"), nil
}
