// Package hostchecks reads a host's stored checks list (the JSON array of
// {name, memo} objects a host declares) for the store implementations, so
// that SQLite and PostgreSQL read it by one rule.
package hostchecks

import "encoding/json"

// Memos maps each check of a stored checks list to its memo. A list that
// does not parse (the HTTP layer validated it before it was stored) has
// no memos: nil.
func Memos(checks []byte) map[string]string {
	var list []struct {
		Name string `json:"name"`
		Memo string `json:"memo"`
	}
	if json.Unmarshal(checks, &list) != nil {
		return nil
	}
	memos := make(map[string]string, len(list))
	for _, c := range list {
		memos[c.Name] = c.Memo
	}
	return memos
}
