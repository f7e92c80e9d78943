package monitor

import (
	"fmt"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/ascode"
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
	return ascode.WriteFile(path, rulesFile{Monitors: rules})
}

// loadRules reads a monitors file written by pull or by hand (a BOM and
// UTF-16 are read as upstream reads them; only the first JSON value).
func loadRules(path string) ([]*client.Monitor, error) {
	var doc rulesFile
	if err := ascode.ReadFile(path, &doc); err != nil {
		return nil, err
	}
	for i, m := range doc.Monitors {
		if m == nil {
			return nil, fmt.Errorf("reading %s: monitor %d is null", path, i+1)
		}
	}
	return doc.Monitors, nil
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
	return ascode.UniqueNames(log, rules, label), nil
}

// rulesDiff is how the remote rules and the file differ.
type rulesDiff = ascode.Diff[*client.Monitor]

// monitorSpec is how monitor rules match, diff and push: as upstream,
// only the id is ignored when comparing.
var monitorSpec = ascode.Spec[*client.Monitor]{
	Noun: "rule", LongNoun: "monitor rule", Command: "mkr monitors",
	Describe: func(m *client.Monitor) string { return fmt.Sprintf("%s %s %q", m.ID(), m.Type(), m.Name()) },
}
