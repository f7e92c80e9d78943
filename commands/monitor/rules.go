package monitor

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"unicode/utf16"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// defaultRulesFile is where pull writes and diff/push read, as upstream.
const defaultRulesFile = "monitors.json"

func rulesPath(p string) string {
	if p == "" {
		return defaultRulesFile
	}
	return p
}

// rulesFile is the monitors.json document.
type rulesFile struct {
	Monitors []*client.Monitor `json:"monitors"`
}

// saveRules writes {"monitors": […]} with upstream's 4-space indent and a
// trailing newline.
func saveRules(path string, rules []*client.Monitor) error {
	data, err := cmdutil.MarshalUpstream(rulesFile{Monitors: rules})
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// loadRules reads a monitors file written by pull or by hand. Like
// upstream it accepts a UTF-8 byte-order mark and UTF-16 with one (as
// Windows editors save), and reads only the first JSON value.
func loadRules(path string) ([]*client.Monitor, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc rulesFile
	if err := json.NewDecoder(bytes.NewReader(decodeBOM(data))).Decode(&doc); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	for i, m := range doc.Monitors {
		if m == nil {
			return nil, fmt.Errorf("reading %s: monitor %d is null", path, i+1)
		}
	}
	return doc.Monitors, nil
}

// decodeBOM strips a UTF-8 byte-order mark and turns UTF-16 with a mark
// into UTF-8; anything else is returned as it is.
func decodeBOM(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:]
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return utf16ToUTF8(data[2:], binary.BigEndian)
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return utf16ToUTF8(data[2:], binary.LittleEndian)
	}
	return data
}

func utf16ToUTF8(data []byte, order binary.ByteOrder) []byte {
	units := make([]uint16, len(data)/2)
	for i := range units {
		units[i] = order.Uint16(data[2*i:])
	}
	return []byte(string(utf16.Decode(units)))
}

// validateRules checks what upstream checks before diffing, with its
// messages, and reports whether the names are unique (name matching is
// off otherwise). label is "local rules" or "remote rules". Types this
// mkr does not know only need a type.
func validateRules(log *cmdutil.Logger, rules []*client.Monitor, label string) (bool, error) {
	for _, m := range rules {
		if m.Type() == "" {
			return false, fmt.Errorf("Monitor '%s' should have 'Type': ", label)
		}
		var required []string
		switch m.Type() {
		case "host", "service":
			required = []string{"Name", "name", "Metric", "metric"}
		case "external":
			required = []string{"Name", "name", "URL", "url"}
		case "expression":
			required = []string{"Name", "name", "Expression", "expression"}
		case "anomalyDetection":
			required = []string{"Name", "name"}
		case "query":
			switch {
			case m.Name() == "":
				return false, fmt.Errorf("Query Monitoring should have 'name'")
			case m.String("query") == "":
				return false, fmt.Errorf("Query Monitoring '%s' should have 'query'", m.Name())
			case m.String("operator") == "":
				return false, fmt.Errorf("Query monitoring '%s' should have 'operator'", m.Name())
			}
		}
		for i := 0; i < len(required); i += 2 {
			if m.String(required[i+1]) == "" {
				return false, fmt.Errorf("Monitor '%s' should have '%s': ", label, required[i])
			}
		}
		if m.Type() == "anomalyDetection" && len(m.Strings("scopes")) == 0 {
			return false, fmt.Errorf("Monitor '%s' has empty 'Scopes'", label)
		}
	}
	unique := true
	seen := map[string]bool{}
	for _, m := range rules {
		if seen[m.Name()] {
			// Upstream logs once per repeated name.
			log.Log("Warning: ", "Names of %s are not unique.", label)
			unique = false
		}
		seen[m.Name()] = true
	}
	return unique, nil
}

// rulesDiff is how the remote rules and the file differ.
type rulesDiff struct {
	onlyRemote []*client.Monitor
	onlyLocal  []*client.Monitor
	modified   []rulePair
}

type rulePair struct{ remote, local *client.Monitor }

func (d rulesDiff) empty() bool {
	return len(d.onlyRemote) == 0 && len(d.onlyLocal) == 0 && len(d.modified) == 0
}

// matchRules pairs remote and local rules as upstream does: for each
// remote rule, in order, the first local rule not yet taken that is
// identical, has the same id, or (names unique on both sides, and the local
// rule without an id) has the same name.
func matchRules(remote, local []*client.Monitor, byName bool) rulesDiff {
	var d rulesDiff
	taken := make([]bool, len(local))
	for _, r := range remote {
		found := false
		for i, l := range local {
			if taken[i] {
				continue
			}
			same, candidate := compareRules(r, l, byName)
			if !same && !candidate {
				continue
			}
			taken[i], found = true, true
			if !same {
				d.modified = append(d.modified, rulePair{r, l})
			}
			break
		}
		if !found {
			d.onlyRemote = append(d.onlyRemote, r)
		}
	}
	for i, l := range local {
		if !taken[i] {
			d.onlyLocal = append(d.onlyLocal, l)
		}
	}
	return d
}

// compareRules says whether a and b are the same rule unchanged (same), or
// the same rule changed (candidate).
func compareRules(a, b *client.Monitor, byName bool) (same, candidate bool) {
	ab, _ := json.Marshal(a)
	bb, _ := json.Marshal(b)
	if bytes.Equal(ab, bb) {
		return true, false
	}
	if a.ID() == b.ID() || (byName && b.ID() == "" && a.Name() == b.Name()) {
		if ruleDiffText(a, b) == "" {
			return true, false
		}
		return false, true
	}
	return false, false
}

// ruleDiffText is the ASCII diff from a to b, ignoring the top-level id
// (so that a file without ids can manage rules by name), ending in ",";
// "" when they do not differ.
func ruleDiffText(a, b *client.Monitor) string {
	left, lerr := asMap(a.Without("id"))
	right, rerr := asMap(b.Without("id"))
	if lerr != nil || rerr != nil {
		return ""
	}
	text := asciiDiff(left, right)
	if text == "" {
		return ""
	}
	return strings.TrimRight(text, "\n") + ","
}

func asMap(m *client.Monitor) (map[string]any, error) {
	data, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	return out, json.Unmarshal(data, &out)
}

// stringifyRule prints a rule as upstream does in diff and push: 2-space
// JSON with every line prefixed, then ",".
func stringifyRule(m *client.Monitor, prefix string) string {
	data, err := json.MarshalIndent(m, prefix, "  ")
	if err != nil {
		return prefix + "{}," // unreachable: a Monitor always marshals
	}
	s := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">").Replace(string(data))
	return prefix + s + ","
}
