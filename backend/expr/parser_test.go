package expr

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseValid(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"host(22CXRB3pZmu, memory.*)", "host(22CXRB3pZmu, memory.*)"},
		{"host('22CXRB3pZmu', \"loadavg5\")", "host(22CXRB3pZmu, loadavg5)"},
		{"service(Blog, access_count)", "service(Blog, access_count)"},
		{"role(Blog:db, memory.*)", "role(Blog:db, memory.*)"},
		{"role('Blog: db', loadavg5)", "role(Blog:db, loadavg5)"},
		{`avg(roleSlots("server:role","loadavg5"))`, "avg(roleSlots(server:role, loadavg5))"},
		{"roleSlots(Blog:db, custom.foo.#)", "roleSlots(Blog:db, custom.foo.#)"},
		{"sum(host(h, custom.foo.jobs.*))", "sum(host(h, custom.foo.jobs.*))"},
		{"product(group(service(Blog, foo.bar), service(Blog, foo.baz)))", "product(group(service(Blog, foo.bar), service(Blog, foo.baz)))"},
		{"diff(service(Blog, a), service(Blog, b))", "diff(service(Blog, a), service(Blog, b))"},
		{"divide(service(Blog, a), service(Blog, b))", "divide(service(Blog, a), service(Blog, b))"},
		{"scale(service(Blog, a), 10.0)", "scale(service(Blog, a), 10.0)"},
		{"scale(service(Blog, a), 1/86400)", "scale(service(Blog, a), 1/86400)"},
		{"offset(service(Blog, a), -1.5e2)", "offset(service(Blog, a), -1.5e2)"},
		{"percentile(role(Blog:db, loadavg5), 99.9)", "percentile(role(Blog:db, loadavg5), 99.9)"},
		{"timeShift(service(Blog, a), 1d)", "timeShift(service(Blog, a), 1d)"},
		{"timeShift(service(Blog, a), '3mo')", "timeShift(service(Blog, a), 3mo)"},
		{"movingAverage(service(Blog, a), 05m)", "movingAverage(service(Blog, a), 5m)"},
		{"linearRegression(host(h, loadavg5), 7d)", "linearRegression(host(h, loadavg5), 7d)"},
		{"scale(timeLeftForecast(host('host_id', 'fs.used'), '3mo', 2000000000000), 1/86400)", "scale(timeLeftForecast(host(host_id, fs.used), 3mo, 2000000000000), 1/86400)"},
		{"stack(service(Blog, a))", "stack(service(Blog, a))"},
		{"alias(service(Blog, a), 'Blog foo bar')", "alias(service(Blog, a), 'Blog foo bar')"},
		{"alias(service(Blog, a), L5)", "alias(service(Blog, a), 'L5')"},
		{`alias(service(Blog, a), 'it\'s "x" \\ y')`, `alias(service(Blog, a), 'it\'s "x" \\ y')`},
		{"host(1d, 5m)", "host(1d, 5m)"}, // words are names where names are expected
		{"\n group ( alias(avg(role(example:db, loadavg5)), 'loadavg5') ,\n\t alias(timeShift(avg(role(example:db, loadavg5)), 1w), '1 week ago') )\n",
			"group(alias(avg(role(example:db, loadavg5)), 'loadavg5'), alias(timeShift(avg(role(example:db, loadavg5)), 1w), '1 week ago'))"},
		{"host('odd id', b)", "host('odd id', b)"},
	}
	for _, tt := range tests {
		e, err := Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		if got := Describe(e); got != tt.want {
			t.Errorf("Describe(Parse(%q)) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestParseTree(t *testing.T) {
	e, err := Parse("scale(timeShift(role('Blog : db', memory.*), 1w), 1/4)")
	if err != nil {
		t.Fatal(err)
	}
	want := &Call{Func: "scale", At: 0, Args: []Expr{
		&Call{Func: "timeShift", At: 6, Args: []Expr{
			&Call{Func: "role", At: 16, Args: []Expr{
				&String{Value: "Blog:db", At: 21},
				&String{Value: "memory.*", At: 34},
			}},
			&Duration{Seconds: 7 * 86400, Literal: "1w", At: 45},
		}},
		&Number{Value: 0.25, Literal: "1/4", At: 50},
	}}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("Parse = %#v, want %#v", e, want)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src string
		pos int
		msg string
	}{
		{"", 0, `expected a function call such as host(...), found end of input`},
		{"   ", 3, `expected a function call such as host(...), found end of input`},
		{"loadavg5", 0, `expected a function call such as host(...), found word "loadavg5"`},
		{"'x'", 0, `expected a function call such as host(...), found string 'x'`},
		{"foo(host(a, b))", 0, `unknown function "foo"`},
		{"avg(Host(a, b))", 4, `unknown function "Host" (did you mean host?)`},
		{"avg(host(a, b)", 14, `expected ")" after 1 argument of avg, found end of input`},
		{"avg(host(a, b) x", 15, `expected ")" after 1 argument of avg, found word "x"`},
		{"avg(host(a, b), host(c, d))", 14, `expected ")" after 1 argument of avg, found ","`},
		{"avg()", 4, `expected a function call such as host(...) as argument 1 of avg, found ")"`},
		{"avg(loadavg5)", 4, `expected a function call such as host(...) as argument 1 of avg, found word "loadavg5"`},
		{"host(a)", 6, `expected "," and a metric name as argument 2 of host, found ")"`},
		{"host(a, b, c)", 9, `expected ")" after 2 arguments of host, found ","`},
		{"host(avg(x), b)", 5, `expected a host id as argument 1 of host, found function call avg(...)`},
		{"host(a, '')", 8, `expected a metric name as argument 2 of host, found string '' (it is empty)`},
		{"host(a, 'mem ory')", 8, `expected a metric name as argument 2 of host, found string 'mem ory' (a metric name has only letters, digits, . _ - and the wildcards * #)`},
		{"host(a, b) )", 11, `expected end of input after the expression, found ")"`},
		{"host(a, b)host(c, d)", 10, `expected end of input after the expression, found word "host"`},
		{"host(a, b", 9, `expected ")" after 2 arguments of host, found end of input`},
		{"host(a b)", 7, `expected "," and a metric name as argument 2 of host, found word "b"`},
		{"host(a, 'b)", 8, `expected a metric name as argument 2 of host, found an unterminated string`},
		{"host(a, @)", 8, `expected a metric name as argument 2 of host, found character "@"`},
		{"host(a, b)\n\t;", 12, `expected end of input after the expression, found character ";"`},
		{"role(Blog, loadavg5)", 5, `expected a role as "service:role" as argument 1 of role, found word "Blog" (a role is written "service:role")`},
		{"role(:db, loadavg5)", 5, `expected a role as "service:role" as argument 1 of role, found word ":db" (a role is written "service:role")`},
		{"roleSlots(Blog:db, memory.free)", 19, `expected a metric name as argument 2 of roleSlots, found word "memory.free" (roleSlots reads custom.* metrics and loadavg5, processor_queue_length, cpu.{user,iowait,system}.percentage, interface.{rx,tx}Bytes.delta, disk.{reads,writes}.delta, memory.{used,cached}, container.{cpu,memory}.usage)`},
		{"scale(host(a, b))", 16, `expected "," and a number as argument 2 of scale, found ")"`},
		{"scale(host(a, b), x)", 18, `expected a number as argument 2 of scale, found word "x" (not a number)`},
		{"scale(host(a, b), '10')", 18, `expected a number as argument 2 of scale, found string '10'`},
		{"scale(host(a, b), 1/0)", 18, `expected a number as argument 2 of scale, found word "1/0" (division by zero)`},
		{"scale(host(a, b), 1e999)", 18, `expected a number as argument 2 of scale, found word "1e999" (out of range)`},
		{"scale(host(a, b), 1/2/3)", 18, `expected a number as argument 2 of scale, found word "1/2/3" (not a number)`},
		{"percentile(host(a, b), 100)", 23, `expected a percentage (0 < p < 100) as argument 2 of percentile, found word "100"`},
		{"percentile(host(a, b), 0)", 23, `expected a percentage (0 < p < 100) as argument 2 of percentile, found word "0"`},
		{"timeShift(host(a, b), 5)", 22, `expected a duration such as 5m, 1h, 3d, 1w, 3mo or 1y as argument 2 of timeShift, found word "5"`},
		{"timeShift(host(a, b), 0m)", 22, `expected a duration such as 5m, 1h, 3d, 1w, 3mo or 1y as argument 2 of timeShift, found word "0m"`},
		{"timeShift(host(a, b), 5s)", 22, `expected a duration such as 5m, 1h, 3d, 1w, 3mo or 1y as argument 2 of timeShift, found word "5s"`},
		{"timeShift(host(a, b), 11y)", 22, `expected a duration such as 5m, 1h, 3d, 1w, 3mo or 1y as argument 2 of timeShift, found word "11y" (longer than 10y)`},
		{"timeLeftForecast(host(a, b), 3mo)", 32, `expected "," and a number as argument 3 of timeLeftForecast, found ")"`},
		{"group()", 6, `expected a function call such as host(...) as argument 1 of group, found ")"`},
		{"group(host(a, b),)", 17, `expected a function call such as host(...) as argument 2 of group, found ")"`},
		{"group(host(a, b) host(c, d))", 17, `expected "," or ")" after argument 1 of group, found word "host"`},
		{"alias(host(a, b), '')", 18, `expected a display name as argument 2 of alias, found string '' (it is empty)`},
		{"avg" + strings.Repeat("(avg", 70) + "(host(a,b)" + strings.Repeat(")", 71), 256, `expressions nest at most 64 calls deep`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, want a *SyntaxError", tt.src, err)
			continue
		}
		if se.Pos != tt.pos || se.Msg != tt.msg {
			t.Errorf("Parse(%q):\n got  %d %s\n want %d %s", tt.src, se.Pos, se.Msg, tt.pos, tt.msg)
		}
	}
}

func TestSyntaxErrorMessage(t *testing.T) {
	_, err := Parse("avg(host(a, b), x)")
	want := `syntax error at position 14: expected ")" after 1 argument of avg, found ","`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

// stripPos zeroes positions, so trees parsed from different spellings
// compare equal.
func stripPos(e Expr) Expr {
	switch n := e.(type) {
	case *Call:
		c := &Call{Func: n.Func}
		for _, a := range n.Args {
			c.Args = append(c.Args, stripPos(a))
		}
		return c
	case *String:
		return &String{Value: n.Value}
	case *Number:
		return &Number{Value: n.Value, Literal: n.Literal}
	case *Duration:
		return &Duration{Seconds: n.Seconds, Literal: n.Literal}
	}
	return e
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"host(22CXRB3pZmu, memory.*)",
		"avg(roleSlots(\"server:role\",\"loadavg5\"))",
		"scale(timeLeftForecast(host('h', 'fs.used'), '3mo', 2000000000000), 1/86400)",
		"group(alias(avg(role(example:db, loadavg5)), 'load\\'avg5'), alias(timeShift(avg(role(example:db, loadavg5)), 1w), '1 week ago'))",
		"percentile(role(Blog:db, loadavg5), 80)",
		"movingAverage(diff(service(B, a), service(B, b)), 5m)",
		"host(a, b",
		"avg(",
		"'",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q): error %T is not a *SyntaxError", src, err)
			}
			if se.Pos < 0 || se.Pos > len(src) {
				t.Fatalf("Parse(%q): position %d outside the input", src, se.Pos)
			}
			return
		}
		d := Describe(e)
		again, err := Parse(d)
		if err != nil {
			t.Fatalf("Parse(%q) accepted, but its rendering %q fails: %v", src, d, err)
		}
		if !reflect.DeepEqual(stripPos(e), stripPos(again)) {
			t.Fatalf("Parse(%q) and Parse(Describe) = Parse(%q) differ", src, d)
		}
		if d2 := Describe(again); d2 != d {
			t.Fatalf("Describe is not stable: %q then %q", d, d2)
		}
	})
}
