package client

import "testing"

func TestRedactURL(t *testing.T) {
	tests := map[string]string{
		"http://u:p@h.example/x":        "http://[REDACTED]@h.example/x",
		"https://key@h.example":         "https://[REDACTED]@h.example",
		"http://u:p@w@h.example/":       "http://[REDACTED]@h.example/",
		"http://h.example/a@b":          "http://h.example/a@b",
		"http://h.example?to=a@b":       "http://h.example?to=a@b",
		"http://h.example#a@b":          "http://h.example#a@b",
		"u:secret@h.example":            "[REDACTED]@h.example",
		"http://h.example/api/v0/org":   "http://h.example/api/v0/org",
		"http://[::1]:8080/x":           "http://[::1]:8080/x",
		"http://u:p@[::1]:8080/x?y=1@2": "http://[REDACTED]@[::1]:8080/x?y=1@2",
		"":                              "",
	}
	for in, want := range tests {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
