package redact_test

import (
	"testing"

	"github.com/mkr-dev/mkr/internal/redact"
)

func TestURL(t *testing.T) {
	tests := map[string]string{
		"http://u:p@h.example/x":              "http://[REDACTED]@h.example/x",
		"https://key@h.example":               "https://[REDACTED]@h.example",
		"http://u:p@w@h.example/":             "http://[REDACTED]@h.example/",
		"https://user:pass@example.com/x?y=1": "https://[REDACTED]@example.com/x?y=1",
		"http://h.example/a@b":                "http://h.example/a@b",
		"http://h.example?to=a@b":             "http://h.example?to=a@b",
		"http://h.example#a@b":                "http://h.example#a@b",
		"u:secret@h.example":                  "[REDACTED]@h.example",
		"http://h.example/api/v0/org":         "http://h.example/api/v0/org",
		"http://[::1]:8080/x":                 "http://[::1]:8080/x",
		"http://u:p@[::1]:8080/x?y=1@2":       "http://[REDACTED]@[::1]:8080/x?y=1@2",
		"owner/repo@v1.2.3":                   "owner/repo@v1.2.3",
		"":                                    "",
	}
	for in, want := range tests {
		if got := redact.URL(in); got != want {
			t.Errorf("redact.URL(%q) = %q, want %q", in, got, want)
		}
	}
}
