package metric_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// hourAgo is an hour before cmdtest.Epoch: well inside the 24 h the
// backend keeps.
var hourAgo = cmdtest.Epoch.Unix() - 3600

// hourAgoBucket is the start of hourAgo's hour: where a read over a long
// range (from left at 0, upstream's default) puts the hourly mean, as the
// hosted API answers long ranges with averaged points.
var hourAgoBucket = hourAgo - hourAgo%3600

// expand replaces {T}, {T+60} … {T-60} …, {H} (hourAgoBucket) and {id} in s.
func expand(s, id string) string {
	var pairs []string
	for _, d := range []int64{0, 1, 59, 60, 120, 180} {
		pairs = append(pairs, fmt.Sprintf("{T+%d}", d), fmt.Sprint(hourAgo+d), fmt.Sprintf("{T-%d}", d), fmt.Sprint(hourAgo-d))
	}
	pairs = append(pairs, "{T}", fmt.Sprint(hourAgo), "{H}", fmt.Sprint(hourAgoBucket), "{id}", id)
	return strings.NewReplacer(pairs...).Replace(s)
}

// TestThrowRoundTrip: what throw stores, metrics, fetch and metric-names
// give back exactly, for host and service metrics.
func TestThrowRoundTrip(t *testing.T) {
	e := cmdtest.New(t)
	h := seedHost(e, "web01")
	e.SeedService("blog")
	steps := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{
			name: "throw host metrics: custom. added once, tabs or spaces, fractional epoch truncated",
			stdin: "cpu.user\t1.5\t{T}\n" +
				"cpu.user 2.25 {T+60}\r\n" +
				"custom.cpu.system\t-3\t{T}\n" +
				"  mem.used   1e9   {T+60}.9  \n" +
				"\n# a comment\n",
			args:   []string{"throw", "--host", "{id}"},
			stderr: "    thrown 4 values to {id}\n",
		},
		{
			name:   "metric-names lists the prefixed names, sorted",
			args:   []string{"metric-names", "-H", "{id}"},
			stdout: "[\n    \"custom.cpu.system\",\n    \"custom.cpu.user\",\n    \"custom.mem.used\"\n]\n",
		},
		{
			name:   "metrics over an explicit window, inclusive",
			args:   []string{"metrics", "-H", "{id}", "-n", "custom.cpu.user", "--from", "{T}", "--to", "{T+60}"},
			stdout: "[\n    {\n        \"time\": {T},\n        \"value\": 1.5\n    },\n    {\n        \"time\": {T+60},\n        \"value\": 2.25\n    }\n]\n",
		},
		{
			name:   "metrics defaults: from 0, to now, a long range: the hour's mean at the hour's start",
			args:   []string{"metrics", "-H", "{id}", "-n", "custom.cpu.user", "--jq", `.[] | "\(.time) \(.value)"`},
			stdout: "{H} 1.875\n",
		},
		{
			name:   "human times: -1h and now",
			args:   []string{"metrics", "-H", "{id}", "-n", "custom.cpu.user", "--from", "-1h", "--to", "now", "--jq", `.[] | "\(.time) \(.value)"`},
			stdout: "{T} 1.5\n{T+60} 2.25\n",
		},
		{
			name:   "human times: now-59m excludes T",
			args:   []string{"metrics", "-H", "{id}", "-n", "custom.cpu.user", "--from=now-59m", "--jq", `.[] | "\(.time) \(.value)"`},
			stdout: "{T+60} 2.25\n",
		},
		{
			name:   "human times: RFC 3339",
			args:   []string{"metrics", "-H", "{id}", "-n", "custom.cpu.user", "--from", "2024-05-06T06:08:09Z", "--to", "2024-05-06T06:08:09Z", "--jq", `.[] | "\(.time) \(.value)"`},
			stdout: "{T} 1.5\n",
		},
		{
			name:   "metrics as a table, times in the run's zone",
			args:   []string{"metrics", "-H", "{id}", "-n", "custom.cpu.user", "--from", "-1h", "--output", "table"},
			stdout: "TIME                  VALUE\n2024-05-06 06:08:09   1.5\n2024-05-06 06:09:09   2.25\n",
		},
		{
			name:   "fetch: newest value per name, null where none",
			args:   []string{"fetch", "-n", "custom.cpu.user", "-n", "custom.nope", "{id}"},
			stdout: "{\n    \"{id}\": {\n        \"custom.cpu.user\": {\n            \"time\": {T+60},\n            \"value\": 2.25\n        },\n        \"custom.nope\": null\n    }\n}\n",
		},
		{
			name:   "re-posting a timestamp overwrites its value",
			stdin:  "cpu.user 9 {T}\n",
			args:   []string{"throw", "-H", "{id}"},
			stderr: "    thrown 1 values to {id}\n",
		},
		{
			name:   "metrics after the overwrite",
			args:   []string{"metrics", "-H", "{id}", "-n", "custom.cpu.user", "--from", "{T}", "--jq", `.[] | "\(.time) \(.value)"`},
			stdout: "{T} 9\n{T+60} 2.25\n",
		},
		{
			name:   "the hourly mean over a long range follows the overwrite",
			args:   []string{"metrics", "-H", "{id}", "-n", "custom.cpu.user", "--jq", `.[] | "\(.time) \(.value)"`},
			stdout: "{H} 5.625\n",
		},
		{
			name:   "throw service metrics: no custom. prefix",
			stdin:  "req.count 10 {T}\nreq.count 11 {T+60}\ncustom.x 0 {T}\n",
			args:   []string{"throw", "--service", "blog"},
			stderr: "    thrown 3 values to blog\n",
		},
		{
			name:   "service metric-names",
			args:   []string{"metric-names", "-s", "blog", "--jq", ".[]"},
			stdout: "custom.x\nreq.count\n",
		},
		{
			name:   "service metrics",
			args:   []string{"metrics", "-s", "blog", "-n", "req.count", "--from", "-1h", "--jq", `.[] | "\(.time) \(.value)"`},
			stdout: "{T} 10\n{T+60} 11\n",
		},
		{
			name:   "service metric of value 0, over a long range: an hourly mean of 0",
			args:   []string{"metrics", "-s", "blog", "-n", "custom.x", "--jq", `.[] | "\(.time) \(.value)"`},
			stdout: "{H} 0\n",
		},
		{
			name:   "unknown metric: 404",
			args:   []string{"metrics", "-H", "{id}", "-n", "custom.nope"},
			code:   1,
			stderr: "     error API request failed: Metric not found: custom.nope.\n",
		},
		{
			name:  "unknown service: nothing stored",
			stdin: "a 1 {T}\n",
			args:  []string{"throw", "-s", "nosvc"},
			code:  1,
			stderr: "     error the request for input line 1 failed: API request failed: Service not found.\n" +
				"           resume with: mkr throw --service nosvc --resume-from 1 < file\n",
		},
		{
			name:  "unknown host: nothing stored",
			stdin: "a 1 {T}\n",
			args:  []string{"throw", "-H", "nohost"},
			code:  1,
			stderr: "     error the request for input line 1 failed: API request failed: Host Not Found.\n" +
				"           resume with: mkr throw --host nohost --resume-from 1 < file\n",
		},
	}
	for _, s := range steps {
		args := make([]string, len(s.args))
		for i, a := range s.args {
			args[i] = expand(a, h)
		}
		r := e.RunWith(cmdtest.RunOpts{Stdin: expand(s.stdin, h)}, args...)
		want := cmdtest.Result{Code: s.code, Stdout: expand(s.stdout, h), Stderr: expand(s.stderr, h)}
		if r != want {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", s.name, r, want)
		}
	}
	// The store agrees, point for point.
	wantPoints := map[store.SeriesKey][]store.Point{
		store.HostSeries(h, "custom.cpu.user"):   {{Time: hourAgo, Value: 9}, {Time: hourAgo + 60, Value: 2.25}},
		store.HostSeries(h, "custom.cpu.system"): {{Time: hourAgo, Value: -3}},
		store.HostSeries(h, "custom.mem.used"):   {{Time: hourAgo + 60, Value: 1e9}},
		store.ServiceSeries("blog", "req.count"): {{Time: hourAgo, Value: 10}, {Time: hourAgo + 60, Value: 11}},
		store.ServiceSeries("blog", "custom.x"):  {{Time: hourAgo, Value: 0}},
	}
	for k, want := range wantPoints {
		if got := points(e, k); !reflect.DeepEqual(got, want) {
			t.Errorf("%v: %v, want %v", k, got, want)
		}
	}
	if n := countPoints(e); n != 7 {
		t.Errorf("%d points stored, want 7", n)
	}
}

// TestThrowBadLines: every malformed line is reported with its number
// and skipped; the good lines around it are stored.
func TestThrowBadLines(t *testing.T) {
	huge := "huge.metric " + strings.Repeat("9", 70*1024) + " {T}"
	long := strings.Repeat("n", 300)
	tests := []struct {
		name    string
		input   []string // one element per line
		warns   []string // expected warnings, in order
		thrown  int
		skipped int
		code    int
	}{
		{
			name: "every kind of bad line",
			input: []string{
				"ok.a 1 {T}",                  // 1
				"two fields",                  // 2
				"a b c d",                     // 3
				"ok.b notanumber {T}",         // 4
				"ok.c NaN {T}",                // 5
				"ok.d +Inf {T}",               // 6
				"ok.e -inf {T}",               // 7
				"ok.f 1e999 {T}",              // 8
				"ok.g 1 yesterday",            // 9
				"ok.h 1 -5",                   // 10
				"ok.i 1 0",                    // 11
				"bad/name 1 {T}",              // 12
				"bad:name 1 {T}",              // 13
				huge,                          // 14
				"",                            // 15: blank, silently skipped
				"# comment",                   // 16: silently skipped
				"ok.j 2 {T+60}",               // 17
				"ok.k 1 0.5",                  // 18: truncates to epoch 0
				"ok.l 1 1e20",                 // 19: beyond int64 seconds
				"ok.m 1 99999999999999999999", // 20
				long + " 1 {T}",               // 21: name longer than the API allows
				"ok.n 3 {T+120}",              // 22
			},
			warns: []string{
				`line 2: expected "name value epoch", got 2 fields; skipped`,
				`line 3: expected "name value epoch", got 4 fields; skipped`,
				`line 4: invalid value "notanumber"; skipped`,
				`line 5: value "NaN" is not a finite number; skipped`,
				`line 6: value "+Inf" is not a finite number; skipped`,
				`line 7: value "-inf" is not a finite number; skipped`,
				`line 8: invalid value "1e999"; skipped`,
				`line 9: invalid epoch time "yesterday"; skipped`,
				`line 10: invalid epoch time "-5"; skipped`,
				`line 11: invalid epoch time "0"; skipped`,
				`line 12: invalid metric name "custom.bad/name": use A-Z a-z 0-9 . _ -; skipped`,
				`line 13: invalid metric name "custom.bad:name": use A-Z a-z 0-9 . _ -; skipped`,
				`line 14: line is longer than 65536 bytes; skipped`,
				`line 18: invalid epoch time "0.5"; skipped`,
				`line 19: invalid epoch time "1e20"; skipped`,
				`line 20: invalid epoch time "99999999999999999999"; skipped`,
				`line 21: invalid metric name "custom.` + long + `": at most 255 characters; skipped`,
			},
			thrown: 3, skipped: 17,
		},
		{
			name:   "a huge last line without a newline",
			input:  []string{"ok.a 1 {T}", huge + "\x00no-newline"},
			warns:  []string{`line 2: line is longer than 65536 bytes; skipped`},
			thrown: 1, skipped: 1,
		},
		{
			name: "64 KiB is the longest line kept",
			input: []string{
				pad("ok.a 1 {T}", 65536),
				pad("ok.b 1 {T}", 65537),
				pad("ok.c 1 {T}", 65536) + "\r", // CRLF does not count
				pad("ok.d 1 {T}", 65537) + "\r",
				"ok.e 1 {T}",
			},
			warns: []string{
				`line 2: line is longer than 65536 bytes; skipped`,
				`line 4: line is longer than 65536 bytes; skipped`,
			},
			thrown: 3, skipped: 2,
		},
		{
			name:  "only bad lines: exit 1",
			input: []string{"x", "y 1 z"},
			warns: []string{
				`line 1: expected "name value epoch", got 1 fields; skipped`,
				`line 2: invalid epoch time "z"; skipped`,
			},
			thrown: 0, skipped: 2, code: 1,
		},
		{
			name:   "empty input",
			input:  nil,
			thrown: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := cmdtest.New(t)
			h := seedHost(e, "web01")
			var in strings.Builder
			for _, l := range tt.input {
				if rest, ok := strings.CutSuffix(l, "\x00no-newline"); ok {
					in.WriteString(expand(rest, h))
					continue
				}
				in.WriteString(expand(l, h) + "\n")
			}
			r := e.RunWith(cmdtest.RunOpts{Stdin: in.String()}, "throw", "-H", h)
			var want strings.Builder
			for _, w := range tt.warns {
				want.WriteString("   warning " + w + "\n")
			}
			suffix := ""
			if tt.skipped > 0 {
				suffix = fmt.Sprintf(" (%d lines skipped)", tt.skipped)
			}
			fmt.Fprintf(&want, "    thrown %d values to %s%s\n", tt.thrown, h, suffix)
			if r.Code != tt.code || r.Stdout != "" || r.Stderr != want.String() {
				t.Errorf("got:\n%s\nwant exit %d, stderr:\n%s", r, tt.code, want.String())
			}
			if n := countPoints(e); n != int64(tt.thrown) {
				t.Errorf("%d points stored, want %d", n, tt.thrown)
			}
		})
	}
}

// TestThrowBadLinesAcrossBatches: with small batches, line numbers stay
// right across batch boundaries and every good point is stored.
func TestThrowBadLinesAcrossBatches(t *testing.T) {
	e := cmdtest.New(t)
	e.SeedService("blog")
	var in, warns strings.Builder
	good := 0
	for i := 1; i <= 100; i++ {
		if i%9 == 0 {
			fmt.Fprintf(&in, "bad.%d x %d\n", i, hourAgo)
			fmt.Fprintf(&warns, "   warning line %d: invalid value \"x\"; skipped\n", i)
			continue
		}
		fmt.Fprintf(&in, "s.%d %d %d\n", i%3, i, hourAgo+int64(i))
		good++
	}
	r := e.RunWith(cmdtest.RunOpts{Stdin: in.String()}, "throw", "-s", "blog", "--batch-size", "7")
	want := warns.String() + fmt.Sprintf("    thrown %d values to blog (11 lines skipped)\n", good)
	if r.Code != 0 || r.Stderr != want {
		t.Fatalf("got:\n%s\nwant stderr:\n%s", r, want)
	}
	if n := countPoints(e); n != int64(good) {
		t.Fatalf("%d points stored, want %d", n, good)
	}
	// s.1 holds i = 1, 4, 7, 10, … without multiples of 9.
	var want1 []store.Point
	for i := 1; i <= 100; i++ {
		if i%3 == 1 && i%9 != 0 {
			want1 = append(want1, store.Point{Time: hourAgo + int64(i), Value: float64(i)})
		}
	}
	if got := points(e, store.ServiceSeries("blog", "s.1")); !reflect.DeepEqual(got, want1) {
		t.Errorf("s.1 = %v\nwant %v", got, want1)
	}
}

func TestThrowVerbose(t *testing.T) {
	e := cmdtest.New(t)
	e.SeedService("blog")
	r := e.RunWith(cmdtest.RunOpts{Stdin: expand("a.b 1.5 {T}\nc 2 {T+60}\n", "")}, "throw", "-s", "blog", "-v")
	want := expand("    thrown blog 'a.b\t1.500000\t{T}'\n    thrown blog 'c\t2.000000\t{T+60}'\n    thrown 2 values to blog\n", "")
	if r.Code != 0 || r.Stderr != want {
		t.Errorf("got:\n%s\nwant stderr:\n%s", r, want)
	}
}

func TestThrowUsage(t *testing.T) {
	e := cmdtest.New(t)
	h := seedHost(e, "web01")
	e.SeedService("blog")
	tests := []struct {
		name string
		args []string
		code int
		msg  string // the error line, before the pointer to --help
	}{
		{"neither host nor service", []string{"throw"}, 1, "     error either --host or --service is required\n"},
		// A flag that would be ignored is refused, like every filter (README: "Flags mkr would ignore").
		{"host and service", []string{"throw", "-H", h, "-s", "blog"}, 1, "     error --host and --service exclude each other: give one\n"},
		{"bad input format", []string{"throw", "-s", "blog", "--input", "csv"}, 1, "     error --input must be mackerel or prometheus, not \"csv\"\n"},
		{"negative retry", []string{"throw", "-s", "blog", "--retry", "-1"}, 1, "     error --retry must not be negative\n"},
		{"batch too big", []string{"throw", "-s", "blog", "--batch-size", "100001"}, 1, "     error --batch-size must be between 1 and 100000\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.RunWith(cmdtest.RunOpts{Stdin: expand("a 1 {T}\n", h)}, tt.args...)
			if want := tt.msg + "Run 'mkr throw --help' for usage.\n"; r.Code != tt.code || r.Stderr != want {
				t.Errorf("got:\n%s\nwant exit %d, stderr %q", r, tt.code, want)
			}
		})
	}
	if n := countPoints(e); n != 0 {
		t.Errorf("usage errors stored %d points", n)
	}
}

// TestThrowPrometheus: --input prometheus folds labels into the name
// (sorted, sanitised), skips comments, reads timestamps in milliseconds
// (or seconds below 10^11), uses now when a sample has none, and counts
// the samples the backend refused as too old.
func TestThrowPrometheus(t *testing.T) {
	const promSecondsBelow = 100_000_000_000 // throw's rule: below, a timestamp is in seconds
	ms := hourAgo * 1000
	input := strings.Join([]string{
		"# HELP http_requests_total The total number of HTTP requests.",
		"# TYPE http_requests_total counter",
		fmt.Sprintf(`http_requests_total{method="post",code="200"} 1027 %d`, ms),
		fmt.Sprintf(`http_requests_total{code="400", method="post"}    3 %d`, ms+999),
		`metric_without_timestamp_and_labels 12.47`,
		fmt.Sprintf(`rpc_duration_seconds{quantile="0.5"} 4773 %d`, ms+60_123),
		fmt.Sprintf(`msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9 %d`, ms),
		fmt.Sprintf(`process:cpu_seconds{} 7 %d`, ms),
		`broken{code="200" 1`,
		fmt.Sprintf(`something_weird{problem="division by zero"} +Inf %d`, ms),
		`bad_ts 1 soon`,
		`tiny_ts 1 999`,                                // seconds (issue #13): 1970, refused as too old
		fmt.Sprintf(`seconds_ts 5 %d`, hourAgo),        // seconds, not milliseconds (issue #13)
		fmt.Sprintf(`micros_ts 6 %d`, ms*1000),         // microseconds: far in the future
		fmt.Sprintf(`edge_ms 7 %d`, promSecondsBelow),  // the smallest milliseconds: 1973, too old
		fmt.Sprintf(`edge_s 8 %d`, promSecondsBelow-1), // the largest seconds: year 5138
		"",
	}, "\n")
	tests := []struct {
		name   string
		target []string
		key    func(id, name string) store.SeriesKey
		prefix string
	}{
		{"host", []string{"-H", ""}, store.HostSeries, "custom."},
		{"service", []string{"-s", "blog"}, func(_, n string) store.SeriesKey { return store.ServiceSeries("blog", n) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := cmdtest.New(t)
			h := seedHost(e, "web01")
			e.SeedService("blog")
			args := append([]string{"throw", "--input", "prometheus"}, tt.target...)
			dest := "blog"
			if args[4] == "" {
				args[4], dest = h, h
			}
			r := e.RunWith(cmdtest.RunOpts{Stdin: input}, args...)
			want := "   warning line 9: malformed labels; skipped\n" +
				"   warning line 10: value \"+Inf\" is not a finite number; skipped\n" +
				"   warning line 11: invalid timestamp \"soon\"; skipped\n" +
				fmt.Sprintf("   warning line 14: time %d is more than 10 minutes in the future (epoch seconds, not milliseconds); skipped\n", ms) +
				fmt.Sprintf("   warning line 16: time %d is more than 10 minutes in the future (epoch seconds, not milliseconds); skipped\n", promSecondsBelow-1) +
				"    thrown 9 values to " + dest + " (5 lines skipped): 7 stored; refused 2 too old (over 24 h)\n"
			if r.Code != 0 || r.Stderr != want {
				t.Fatalf("got:\n%s\nwant stderr:\n%s", r, want)
			}
			wantPoints := map[string][]store.Point{
				"http_requests_total.code_200.method_post":                                               {{Time: hourAgo, Value: 1027}},
				"http_requests_total.code_400.method_post":                                               {{Time: hourAgo, Value: 3}},
				"metric_without_timestamp_and_labels":                                                    {{Time: cmdtest.Epoch.Unix(), Value: 12.47}},
				"rpc_duration_seconds.quantile_0_5":                                                      {{Time: hourAgo + 60, Value: 4773}},
				"msdos_file_access_time_seconds.error_Cannot_find_file___FILE_TXT_.path_C__DIR_FILE_TXT": {{Time: hourAgo, Value: 1.458255915e9}},
				"process_cpu_seconds":                                                                    {{Time: hourAgo, Value: 7}},
				"seconds_ts":                                                                             {{Time: hourAgo, Value: 5}},
			}
			owner, kind := "blog", "service"
			if dest == h {
				owner, kind = h, "host"
			}
			names, err := e.Store().MetricNames(t.Context(), kind, owner)
			if err != nil || len(names) != len(wantPoints) {
				t.Fatalf("metric names %q (%v), want %d", names, err, len(wantPoints))
			}
			for name, want := range wantPoints {
				if got := points(e, tt.key(h, tt.prefix+name)); !reflect.DeepEqual(got, want) {
					t.Errorf("%s%s = %v, want %v", tt.prefix, name, got, want)
				}
			}
		})
	}
}

// pad pads a line (after expand) with trailing spaces to n bytes.
func pad(line string, n int) string {
	line = expand(line, "")
	return line + strings.Repeat(" ", n-len(line))
}

// failingReader yields its data, then err.
type failingReader struct {
	data []byte
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestThrowStdinError: when reading stdin fails, the batches already
// handed to the sender finish (and are stored) before throw reports the
// error; the partial batch being read is dropped.
func TestThrowStdinError(t *testing.T) {
	for i := 0; i < 3; i++ { // the in-flight batch must never be lost
		e := cmdtest.New(t)
		e.SeedService("blog")
		var in bytes.Buffer
		for j := 0; j < 510; j++ {
			fmt.Fprintf(&in, "m.%d %d %d\n", j%10, j, hourAgo+int64(j/10))
		}
		r := e.RunWith(cmdtest.RunOpts{In: &failingReader{data: in.Bytes(), err: errors.New("disk on fire")}}, "throw", "-s", "blog", "--batch-size", "500")
		if r.Code != 1 || r.Stderr != "     error reading stdin: disk on fire\n" {
			t.Fatalf("got:\n%s", r)
		}
		if n := countPoints(e); n != 500 {
			t.Fatalf("run %d: %d points stored, want the first batch of 500", i, n)
		}
	}
}
