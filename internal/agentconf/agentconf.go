package agentconf

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
type Config struct {
	APIKey  string `toml:"apikey"`
	APIBase string `toml:"apibase"`
	Root    string `toml:"root"`
	Include string `toml:"include"`
	Plugin  struct {
		Checks map[string]*CheckPlugin `toml:"checks"`
	} `toml:"plugin"`

	// checkOrder lists the [plugin.checks.*] names in file order (a map
	// has none); included files append names they add.
	checkOrder []string
}

// checkPluginConfig is one [plugin.checks.<name>] table.
type CheckPlugin struct {
	Command              any               `toml:"command"` // a string (run by sh -c) or an array (exec'd)
	Env                  map[string]string `toml:"env"`
	TimeoutSeconds       int               `toml:"timeout_seconds"`
	User                 string            `toml:"user"`
	Memo                 string            `toml:"memo"`
	NotificationInterval int               `toml:"notification_interval"`
	MaxCheckAttempts     int               `toml:"max_check_attempts"`
	CustomIdentifier     string            `toml:"custom_identifier"`
}

// defaultAgentConfPath is mackerel-agent's per-OS default config location.
func DefaultConfPath(home string) string {
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
func DefaultRoot(home string) string {
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

// ErrNoConf means the config file does not exist.
var ErrNoConf = errors.New("config file not found")

// loadAgentConfig reads path and the files its include glob names (later
// files override earlier values, as in the agent).
func Load(path string) (*Config, error) {
	var conf Config
	md, err := toml.DecodeFile(path, &conf)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrNoConf, path)
		}
		return nil, fmt.Errorf("failed to load the config %q: %w", path, err)
	}
	conf.checkOrder = checkNamesInOrder(md)
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
		var inc Config
		md, err := toml.DecodeFile(m, &inc)
		if err != nil {
			return nil, fmt.Errorf("failed to load the included config %q: %w", m, err)
		}
		inc.checkOrder = checkNamesInOrder(md)
		conf.merge(inc)
	}
	return &conf, nil
}

func (c *Config) merge(o Config) {
	if o.APIKey != "" {
		c.APIKey = o.APIKey
	}
	if o.APIBase != "" {
		c.APIBase = o.APIBase
	}
	if o.Root != "" {
		c.Root = o.Root
	}
	for _, name := range o.checkOrder {
		if c.Plugin.Checks == nil {
			c.Plugin.Checks = map[string]*CheckPlugin{}
		}
		if _, seen := c.Plugin.Checks[name]; !seen {
			c.checkOrder = append(c.checkOrder, name)
		}
		// A later file's plugin of the same name replaces the earlier one.
		c.Plugin.Checks[name] = o.Plugin.Checks[name]
	}
}

// checkNamesInOrder returns the names of [plugin.checks.<name>] tables in
// the order the file defines them.
func checkNamesInOrder(md toml.MetaData) []string {
	var names []string
	seen := map[string]bool{}
	for _, key := range md.Keys() {
		if len(key) == 3 && key[0] == "plugin" && key[1] == "checks" && !seen[key[2]] {
			seen[key[2]] = true
			names = append(names, key[2])
		}
	}
	return names
}

// ReadHostID reads <root>/id; an absent or empty file yields "".
func ReadHostID(root string) (string, error) {
	data, err := os.ReadFile(filepath.Join(root, "id"))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(data), "\r\n"), nil
}

// CheckNames lists the [plugin.checks.*] names in file order.
func (c *Config) CheckNames() []string { return c.checkOrder }
