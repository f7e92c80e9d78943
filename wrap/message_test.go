package wrap

import (
	"strings"
	"testing"
	"time"
)

func TestCheckName(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"", []string{"sh", "-c", "kill -TERM $$"}, "mkrwrap-sh-c9eeae"},
		{"", []string{"echo", "-n", "hi"}, "mkrwrap-echo-cd4ff3"},
		{"nightly-backup", []string{"echo", "-n", "hi"}, "nightly-backup"},
	}
	for _, tc := range cases {
		if got := CheckName(tc.name, tc.args); got != tc.want {
			t.Errorf("CheckName(%q, %q) = %q, want %q", tc.name, tc.args, got, tc.want)
		}
	}
	got := CheckName("", []string{"/opt/jobs/my job.v2 ", "x"})
	if !strings.HasPrefix(got, "mkrwrap-my_job_v2-") || len(got) != len("mkrwrap-my_job_v2-")+6 {
		t.Errorf("sanitised name = %q", got)
	}
	if got := CheckName("", []string{"/usr/bin/バッチ"}); !strings.HasPrefix(got, "mkrwrap-___-") {
		t.Errorf("one _ per rune: %q", got)
	}
}

func TestDurationMetricName(t *testing.T) {
	t.Parallel()
	if got := DurationMetricName("mkrwrap-sh-c9eeae"); got != "custom.mkrwrap.mkrwrap-sh-c9eeae.duration" {
		t.Errorf("got %q", got)
	}
	if got := DurationMetricName("db backup.daily"); got != "custom.mkrwrap.db_backup_daily.duration" {
		t.Errorf("got %q", got)
	}
}

func TestMessage(t *testing.T) {
	t.Parallel()
	ran := time.Unix(1, 0)
	cases := []struct {
		name   string
		res    Result
		note   string
		detail bool
		want   string
	}{
		{"signal", Result{Args: []string{"sh", "-c", "kill -TERM $$"}, Message: "command died with signal: 15", StartedAt: ran},
			"", false, "command died with signal: 15\n% sh -c kill -TERM $$"},
		{"note", Result{Args: []string{"./backup.sh", "--full"}, Message: "command exited with code: 3", StartedAt: ran},
			"nightly backup", false, "command exited with code: 3\nNote: nightly backup\n% ./backup.sh --full"},
		{"detail", Result{Args: []string{"job"}, Message: "command exited with code: 1", Output: []byte("line 1\nline 2\n"), StartedAt: ran},
			"n", true, "command exited with code: 1\nNote: n\n% job\nline 1\nline 2\n"},
		{"output without detail", Result{Args: []string{"job"}, Message: "command exited with code: 1", Output: []byte("secret\n"), StartedAt: ran},
			"", false, "command exited with code: 1\n% job"},
		{"timeout", Result{Args: []string{"job"}, Message: timedOutMessage(time.Minute), TimedOut: true, StartedAt: ran},
			"", false, "command timed out after 1m0s\n% job"},
		{"skipped", Result{Args: []string{"job"}, Message: msgSkipped, Skipped: true},
			"", false, "skipped: previous run still running\n% job"},
	}
	for _, tc := range cases {
		if got := Message(&tc.res, tc.note, tc.detail); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// A long output keeps the first 509 runes, "\n...\n", the last 510 runes.
func TestMessageTruncation(t *testing.T) {
	t.Parallel()
	res := &Result{
		Args:    []string{"job"},
		Message: "command exited with code: 1",
		Output:  []byte(strings.Repeat("あ", 600) + strings.Repeat("い", 600)),
	}
	header := "command exited with code: 1\n% job\n" // 34 runes
	want := header + strings.Repeat("あ", 509-34) + "\n...\n" + strings.Repeat("い", 510)
	got := Message(res, "", true)
	if got != want {
		t.Fatalf("got %q", got)
	}
	if n := len([]rune(got)); n != MessageLimit {
		t.Errorf("%d runes", n)
	}
}

func TestTruncate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in    string
		limit int
		want  string
	}{
		{"abcdef", 6, "abcdef"},
		{"abcdefghijklmnop", 11, "abc\n...\nnop"},
		{"abcdefghijklmnop", 12, "abc\n...\nmnop"},
		{"abcdefghijklmnop", 5, "\n...\n"},
		{"abcdefghijklmnop", 3, "\n.."},
		{"日本語のテキストです", 8, "日\n...\nです"},
	}
	for _, tc := range cases {
		if got := Truncate(tc.in, tc.limit); got != tc.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tc.in, tc.limit, got, tc.want)
		}
	}
}
