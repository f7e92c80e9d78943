package backend

import (
	"bytes"
	"encoding/json"

	"github.com/mkr-dev/mkr/backend/store"
)

// appendHostJSON appends h's wire JSON to dst: exactly json.Marshal of
// toHostJSON(h), but for a listing's hot path. json.Marshal re-validates
// and compacts meta and interfaces (json.RawMessage) byte by byte with its
// full scanner, ~30 KB per agent host; stored documents were validated on
// write, so when one needs no change (no whitespace between tokens, none
// of the characters json.Marshal escapes) it is copied as it is.
func appendHostJSON(dst []byte, h *store.Host) ([]byte, error) {
	j := toHostJSON(h)
	meta, ifaces := j.Meta, j.Interfaces
	j.Meta, j.Interfaces = nil, nil
	head, err := json.Marshal(j) // …,"meta":null,"interfaces":null}
	if err != nil {
		return dst, err
	}
	cut := bytes.LastIndex(head, []byte(`,"meta":null,"interfaces":null}`))
	if cut < 0 { // cannot happen: meta and interfaces are the last keys
		enc, err := json.Marshal(toHostJSON(h))
		return append(dst, enc...), err
	}
	dst = append(dst, head[:cut]...)
	dst = append(dst, `,"meta":`...)
	if dst, err = appendRawJSON(dst, meta); err != nil {
		return dst, err
	}
	dst = append(dst, `,"interfaces":`...)
	if dst, err = appendRawJSON(dst, ifaces); err != nil {
		return dst, err
	}
	return append(dst, '}'), nil
}

// appendRawJSON appends raw as json.Marshal(json.RawMessage(raw)) would.
func appendRawJSON(dst, raw []byte) ([]byte, error) {
	if len(raw) > 0 && rawJSONUnchanged(raw) {
		return append(dst, raw...), nil
	}
	enc, err := json.Marshal(json.RawMessage(raw))
	return append(dst, enc...), err
}

// rawJSONUnchanged reports whether json.Marshal would copy the valid JSON
// raw unchanged: no whitespace outside strings, and none of the
// characters it escapes (<, >, &, and U+2028/U+2029, whose UTF-8 starts
// with 0xE2: any 0xE2 sends raw the slow way, which is rare and safe).
func rawJSONUnchanged(raw []byte) bool {
	inString, escaped := false, false
	for _, c := range raw {
		switch {
		case c == '<' || c == '>' || c == '&' || c == 0xE2:
			return false
		case inString:
			if escaped {
				escaped = false
			} else if c == '\\' {
				escaped = true
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			return false
		}
	}
	return true
}
