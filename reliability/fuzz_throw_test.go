package reliability_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// maxThrowLine is throw's longest input line (64 KiB): longer lines are
// reported and skipped.
const maxThrowLine = 64 * 1024

var (
	reSkipped = regexp.MustCompile(`(?m)^ *warning line (\d+): `)
	// "thrown N values to X", "thrown N values to X: S stored; refused …"
	// and the error when every value was refused.
	reThrown  = regexp.MustCompile(`(?m)^ *thrown (\d+) values to `)
	reRefused = regexp.MustCompile(`(?m)^ *error none of (\d+) values thrown to `)
)

// FuzzThrow runs `mkr throw` (host or service, mackerel or prometheus
// input) on any stdin, through the real command against the embedded
// backend: the parsers are unexported, so they are fuzzed where users meet
// them. Whatever the input, throw does not panic, prints nothing on stdout,
// no request fails (throw only sends what the API accepts), and every line
// is accounted for: a blank line or comment is neither thrown nor
// reported, a line over 64 KiB is reported, and any other line is either
// thrown (counted in the summary) or reported with its number.
func FuzzThrow(f *testing.F) {
	now := cmdtest.Epoch.Unix()
	for _, s := range []struct {
		input      string
		prometheus bool
	}{
		{fmt.Sprintf("cpu.user\t1.5\t%d\ncpu.user 2.25 %d\r\n  mem.used   1e9   %d.9  \n\n# comment\n", now-60, now, now-30), false},
		{fmt.Sprintf("a 1 %d\nb x %d\nc 1\nd 1 2 3\ne NaN %d\nf +Inf %d\ng 1 0\nh 1 -5\ni 1 1e30\n", now, now, now, now), false},
		{fmt.Sprintf("bad/name 1 %d\n%s 1 %d\nx 1 %d\n", now, strings.Repeat("n", 300), now, now+3600), false},
		{fmt.Sprintf("old 1 1\nms 1 %d000\n\xff\xfe 1 %d\nlast 1 %d", now, now, now), false},
		{"\r\n\r\n#\n   \t\n", false},
		{"", false},
		{fmt.Sprintf("# HELP x y\n# TYPE x gauge\nhttp_requests_total{method=\"post\",code=\"200\"} 1027 %d000\nup 1\nsecs 2 %d\n", now, now), true},
		{"a{b=\"c\\\"d\\n\",} 1\nnolabels{} 2\nunterminated{a=\"b 1\nmalformed{a} 1\n{a=\"b\"} 1\nx{a=\"b\"}\nx 1 2 3\nx 1 -1\nx 1 abc\n", true},
		{"x{a=\"\xff\"} 1\nx{=\"b\"} 1\nx{a=\"b\"}1\nx{a=\"b\",a=\"c\"} 1\n", true},
	} {
		f.Add(s.input, s.prometheus, false)
		f.Add(s.input, s.prometheus, true)
	}

	// One installation for every input (a fresh one per input would cost
	// more than the run): what a line becomes does not depend on the
	// points earlier inputs stored.
	e := cmdtest.New(f)
	e.SeedHost(client.CreateHostParam{Name: "web01"})
	e.SeedService("blog")

	f.Fuzz(func(t *testing.T, input string, prometheus, service bool) {
		e.T = t // f's methods must not be called inside the fuzz function
		args := []string{"throw", "--host", "{web01}"}
		if service {
			args = []string{"throw", "--service", "blog"}
		}
		if prometheus {
			args = append(args, "--input", "prometheus")
		}
		r := e.RunWith(cmdtest.RunOpts{Stdin: input}, args...)
		checkThrowAccounting(t, input, r)
	})
}

// checkThrowAccounting checks that r accounts for every line of input.
func checkThrowAccounting(t *testing.T, input string, r cmdtest.Result) {
	t.Helper()
	if r.Stdout != "" || (r.Code != 0 && r.Code != 1) {
		t.Fatalf("want nothing on stdout and exit 0 or 1:\n%s", r)
	}
	if strings.Contains(r.Stderr, "request for input") || strings.Contains(r.Stderr, "reading stdin") {
		t.Fatalf("a request failed: throw sent something the API refused:\n%s", r)
	}

	reported := map[int]bool{}
	for _, m := range reSkipped.FindAllStringSubmatch(r.Stderr, -1) {
		n, _ := strconv.Atoi(m[1])
		if reported[n] {
			t.Errorf("line %d reported twice", n)
		}
		reported[n] = true
	}
	thrown := -1
	for _, re := range []*regexp.Regexp{reThrown, reRefused} {
		if m := re.FindStringSubmatch(r.Stderr); m != nil {
			thrown, _ = strconv.Atoi(m[1])
		}
	}
	if thrown < 0 {
		// Only when every line was skipped does throw end silently.
		if r.Code != 1 || len(reported) == 0 {
			t.Fatalf("no summary of the values thrown:\n%s", r)
		}
		thrown = 0
	}

	points := 0 // lines that are neither blank nor a comment
	lines := strings.SplitAfter(input, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i, raw := range lines {
		n := i + 1
		content := strings.TrimRight(raw, "\r\n")
		trimmed := strings.TrimSpace(content)
		switch {
		case len(raw) > maxThrowLine+2 || len(content) > maxThrowLine:
			if !reported[n] {
				t.Errorf("line %d is over %d bytes but was not reported", n, maxThrowLine)
			}
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			if reported[n] {
				t.Errorf("line %d is blank or a comment (%q) but was reported", n, content)
			}
		default:
			if !reported[n] {
				points++
			}
		}
		delete(reported, n)
	}
	for n := range reported {
		t.Errorf("line %d was reported but the input has %d lines", n, len(lines))
	}
	if points != thrown {
		t.Errorf("%d lines were neither blank, comments nor reported, but %d values were thrown", points, thrown)
	}
	if t.Failed() {
		t.Logf("input %q\n%s", input, r)
	}
}
