package backend

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"unicode/utf8"
)

// invalidUTF8 finds where the JSON value raw (already known to be valid
// JSON) holds a string or key that is not valid UTF-8: bytes that are not
// UTF-8, or a \u escape of an unpaired surrogate. It returns the problem,
// naming the value by its path below root ("meta.cpu[0].model_name is not
// valid UTF-8"), or "" when there is none.
//
// encoding/json accepts both and replaces them with U+FFFD only when it
// decodes, so a value the backend stores verbatim (host meta, metadata)
// would be served back as JSON that strict clients refuse — in every
// later host listing. Such values are refused instead.
func invalidUTF8(raw []byte, root string) string {
	if utf8.Valid(raw) && !bytes.Contains(raw, []byte(`\u`)) {
		return ""
	}
	return findBadString(raw, root, stringRule{
		bad:   func(span []byte, _ string) bool { return !validJSONString(span) },
		value: "is not valid UTF-8",
		key:   "has a key that is not valid UTF-8",
	})
}

// stringRule is what findBadString looks for: bad reports whether a
// string (its literal's bytes, with ASCII around them, and its decoded
// value) breaks the rule; value and key complete the problem after the
// path of a bad value or of the object holding a bad key. Below the
// top-level keys in skip (their keys and values) nothing is checked.
type stringRule struct {
	bad        func(span []byte, s string) bool
	value, key string
	skip       map[string]bool
}

// findBadString walks the JSON value raw (already known to be valid JSON)
// and returns the problem of its first string or key that breaks rule,
// naming it by its path below root, or "" when there is none.
func findBadString(raw []byte, root string, rule stringRule) string {
	type frame struct {
		object  bool
		wantKey bool
		key     string
		index   int
	}
	var stack []frame
	// skipped: the string about to be checked lies below a top-level key
	// of rule.skip (a key at depth 1 is that key itself: checked).
	skipped := func(isKey bool) bool {
		return len(stack) > 0 && stack[0].object && rule.skip[stack[0].key] && (len(stack) > 1 || !isKey)
	}
	path := func(n int) string {
		p := root
		for _, f := range stack[:n] {
			switch {
			case !f.object:
				p += "[" + strconv.Itoa(f.index) + "]"
			case plainKey.MatchString(f.key):
				if p != "" {
					p += "."
				}
				p += f.key
			default:
				p += fmt.Sprintf("[%q]", f.key)
			}
		}
		if p == "" {
			return "the value"
		}
		return p
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	var prev int64
	for {
		tok, err := dec.Token()
		if err != nil {
			return "" // io.EOF; raw was checked to be valid JSON before
		}
		// Between two tokens there are only ASCII separators and blanks,
		// so anything invalid in this span belongs to this token.
		span := raw[prev:dec.InputOffset()]
		prev = dec.InputOffset()
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if s, ok := tok.(string); ok && top != nil && top.object && top.wantKey {
			if !skipped(true) && rule.bad(span, s) {
				return path(len(stack)-1) + " " + rule.key
			}
			top.key, top.wantKey = s, false
			continue
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].object {
				stack[len(stack)-1].wantKey = true
			}
			continue
		}
		// A value starts.
		if top != nil && !top.object {
			top.index++
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, frame{object: d == '{', wantKey: d == '{', index: -1})
			continue
		}
		if s, ok := tok.(string); ok && !skipped(false) && rule.bad(span, s) {
			return path(len(stack)) + " " + rule.value
		}
		if top != nil && top.object {
			top.wantKey = true
		}
	}
}

// plainKey is a key that a path can show after a dot.
var plainKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// validJSONString reports whether the bytes of a JSON string literal (with
// ASCII around it) are UTF-8 and pair every surrogate escape.
func validJSONString(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	pendingHigh := false
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			if pendingHigh {
				return false
			}
			continue
		}
		i++
		if i >= len(b) || b[i] != 'u' {
			if pendingHigh {
				return false
			}
			continue
		}
		if i+4 >= len(b) {
			return false
		}
		r, err := strconv.ParseUint(string(b[i+1:i+5]), 16, 16)
		if err != nil {
			return false
		}
		i += 4
		switch {
		case r >= 0xD800 && r <= 0xDBFF:
			if pendingHigh {
				return false
			}
			pendingHigh = true
		case r >= 0xDC00 && r <= 0xDFFF:
			if !pendingHigh {
				return false
			}
			pendingHigh = false
		default:
			if pendingHigh {
				return false
			}
		}
	}
	return !pendingHigh
}
