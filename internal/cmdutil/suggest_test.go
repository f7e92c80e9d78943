package cmdutil

import (
	"slices"
	"testing"
)

func TestSuggest(t *testing.T) {
	commands := []string{"status", "hosts", "create", "update", "services", "serve", "monitors", "metrics", "alerts", "logs"}
	tests := []struct {
		word string
		want []string
	}{
		{"hsots", []string{"hosts"}},
		{"srvices", []string{"services"}},
		{"monitor", []string{"monitors"}},
		{"alrets", []string{"alerts"}},
		{"se", []string{"serve", "services"}}, // prefixes, even when not close; closest first
		{"bogus", nil},                        // 0.78 against "logs": not a typo of it
		{"x", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := Suggest(tt.word, commands); !slices.Equal(got, tt.want) {
			t.Errorf("Suggest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
	if got := Suggest("a", []string{"a1", "a2", "a3", "a4"}); len(got) != maxSuggestions {
		t.Errorf("Suggest returned %d names, want at most %d", len(got), maxSuggestions)
	}
}
