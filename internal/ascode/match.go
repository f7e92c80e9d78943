// Package ascode is the machinery of definitions kept as code: a JSON file
// of rules that `pull` writes, `diff` compares with the server and `push`
// makes the server match. Upstream mkr has it for monitors only; here it
// also serves notification groups and alert group settings, so all of them
// match, diff and push alike.
package ascode

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Rule is one definition: a JSON object with an id (empty before it is
// created) and a name.
type Rule interface {
	ID() string
	Name() string
}

// Spec describes one kind of rule.
type Spec[R Rule] struct {
	// Hidden are top-level keys, besides "id", that never count as a
	// change and are left out of a changed rule's diff: keys the server
	// sets and a person need not write (a notification group's "type").
	Hidden []string

	// The wording of push.
	Noun     string         // in the log: "Create a new rule."
	LongNoun string         // in the question: "Delete 1 monitor rule(s) …?"
	Command  string         // in hints: "mkr monitors" (+ " push --delete -F <file>")
	Describe func(R) string // one rule in a list: id, type, name
}

// Pair is a remote rule and the local rule that stands for it.
type Pair[R Rule] struct{ Remote, Local R }

// Diff is how the remote rules and the file differ.
type Diff[R Rule] struct {
	OnlyRemote []R
	OnlyLocal  []R
	Modified   []Pair[R]
}

// Empty reports whether the two sides are the same.
func (d Diff[R]) Empty() bool {
	return len(d.OnlyRemote) == 0 && len(d.OnlyLocal) == 0 && len(d.Modified) == 0
}

// Match pairs remote and local rules as upstream does: for each remote
// rule, in order, the first local rule not yet taken that is identical,
// has the same id, or (names unique on both sides, and the local rule
// without an id) has the same name.
func (s Spec[R]) Match(remote, local []R, byName bool) Diff[R] {
	var d Diff[R]
	taken := make([]bool, len(local))
	for _, r := range remote {
		found := false
		for i, l := range local {
			if taken[i] {
				continue
			}
			same, candidate := s.Compare(r, l, byName)
			if !same && !candidate {
				continue
			}
			taken[i], found = true, true
			if !same {
				d.Modified = append(d.Modified, Pair[R]{r, l})
			}
			break
		}
		if !found {
			d.OnlyRemote = append(d.OnlyRemote, r)
		}
	}
	for i, l := range local {
		if !taken[i] {
			d.OnlyLocal = append(d.OnlyLocal, l)
		}
	}
	return d
}

// Compare says whether a and b are the same rule unchanged (same), or the
// same rule changed (candidate).
func (s Spec[R]) Compare(a, b R, byName bool) (same, candidate bool) {
	ab, _ := json.Marshal(a)
	bb, _ := json.Marshal(b)
	if bytes.Equal(ab, bb) {
		return true, false
	}
	if a.ID() == b.ID() || (byName && b.ID() == "" && a.Name() == b.Name()) {
		if s.RuleDiffText(a, b) == "" {
			return true, false
		}
		return false, true
	}
	return false, false
}

// RuleDiffText is the ASCII diff from a to b, ignoring the top-level id
// (so that a file without ids can manage rules by name) and the hidden
// keys, ending in ","; "" when they do not differ.
func (s Spec[R]) RuleDiffText(a, b R) string {
	left, lerr := s.asMap(a)
	right, rerr := s.asMap(b)
	if lerr != nil || rerr != nil {
		return ""
	}
	text := asciiDiff(left, right)
	if text == "" {
		return ""
	}
	return strings.TrimRight(text, "\n") + ","
}

func (s Spec[R]) asMap(r R) (map[string]any, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	delete(out, "id")
	for _, k := range s.Hidden {
		delete(out, k)
	}
	return out, nil
}

// Stringify prints a rule as upstream does in diff and push: 2-space JSON
// with every line prefixed, then ",".
func Stringify(r Rule, prefix string) string {
	data, err := json.MarshalIndent(r, prefix, "  ")
	if err != nil {
		return prefix + "{}," // unreachable: rules always marshal
	}
	s := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">").Replace(string(data))
	return prefix + s + ","
}
