package expr

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// SyntaxError is a rejected expression: Pos is the 0-based byte offset
// of the offending token, Msg says what was expected and what was found.
type SyntaxError struct {
	Pos int
	Msg string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("syntax error at position %d: %s", e.Pos, e.Msg)
}

// maxDepth bounds nesting so a hostile input cannot exhaust the stack.
const maxDepth = 64

// maxDurationSeconds bounds durations (10 years) so arithmetic on times
// cannot overflow.
const maxDurationSeconds = 10 * 365 * 86400

// Parse reads one expression: a function call, possibly surrounded by
// whitespace. Any error is a *SyntaxError.
func Parse(src string) (Expr, error) {
	p := &parser{lex: lexer{src: src}}
	p.advance()
	call, err := p.topCall()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		return nil, p.errorf(p.tok.pos, "expected end of input after the expression, found %s", describeToken(p.tok))
	}
	return call, nil
}

type parser struct {
	lex  lexer
	tok  token // the current token
	peek *token
}

func (p *parser) advance() {
	if p.peek != nil {
		p.tok, p.peek = *p.peek, nil
		return
	}
	p.tok = p.lex.next()
}

func (p *parser) lookahead() token {
	if p.peek == nil {
		t := p.lex.next()
		p.peek = &t
	}
	return *p.peek
}

func (p *parser) errorf(pos int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// topCall reads the whole expression, which must be a call.
func (p *parser) topCall() (*Call, error) {
	if p.tok.kind != tokWord || p.lookahead().kind != tokLParen {
		return nil, p.errorf(p.tok.pos, "expected a function call such as host(...), found %s", describeToken(p.tok))
	}
	return p.call(0)
}

// call reads name(args…) with the current token on the name.
func (p *parser) call(depth int) (*Call, error) {
	name := p.tok
	if depth >= maxDepth {
		return nil, p.errorf(name.pos, "expressions nest at most %d calls deep", maxDepth)
	}
	spec := functions[name.text]
	if spec == nil {
		if s := similarFunction(name.text); s != "" {
			return nil, p.errorf(name.pos, "unknown function %q (did you mean %s?)", name.text, s)
		}
		return nil, p.errorf(name.pos, "unknown function %q", clip(name.text))
	}
	p.advance() // onto "("
	p.advance() // past "("
	c := &Call{Func: name.text, At: name.pos}
	for i := 0; ; i++ {
		if i > 0 {
			switch {
			case p.tok.kind == tokRParen && (i >= len(spec.args)):
				p.advance()
				return c, nil
			case p.tok.kind == tokComma && (i < len(spec.args) || spec.variadic):
				p.advance()
			case i < len(spec.args):
				return nil, p.errorf(p.tok.pos, "expected \",\" and %s as argument %d of %s, found %s", spec.argKind(i).what(), i+1, c.Func, describeToken(p.tok))
			case spec.variadic:
				return nil, p.errorf(p.tok.pos, "expected \",\" or \")\" after argument %d of %s, found %s", i, c.Func, describeToken(p.tok))
			default:
				return nil, p.errorf(p.tok.pos, "expected \")\" after %s of %s, found %s", plural(len(spec.args), "argument"), c.Func, describeToken(p.tok))
			}
		}
		arg, err := p.arg(c.Func, i, spec.argKind(i), depth)
		if err != nil {
			return nil, err
		}
		c.Args = append(c.Args, arg)
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// arg reads argument i (0-based) of fn, of kind k.
func (p *parser) arg(fn string, i int, k argKind, depth int) (Expr, error) {
	t := p.tok
	isCall := t.kind == tokWord && p.lookahead().kind == tokLParen
	expected := func() *SyntaxError {
		found := describeToken(t)
		if isCall {
			found = "function call " + clip(t.text) + "(...)"
		}
		return p.errorf(t.pos, "expected %s as argument %d of %s, found %s", k.what(), i+1, fn, found)
	}
	if k == argSeries {
		if !isCall {
			return nil, expected()
		}
		return p.call(depth + 1)
	}
	if isCall || (t.kind != tokWord && t.kind != tokString) {
		return nil, expected()
	}
	p.advance()
	switch k {
	case argNumber, argPercentage:
		if t.kind != tokWord {
			return nil, expected()
		}
		v, err := parseNumber(t.text)
		if err != "" {
			return nil, p.errorf(t.pos, "expected %s as argument %d of %s, found %s (%s)", k.what(), i+1, fn, describeToken(t), err)
		}
		if k == argPercentage && !(v > 0 && v < 100) {
			return nil, p.errorf(t.pos, "expected %s as argument %d of %s, found %s", k.what(), i+1, fn, describeToken(t))
		}
		return &Number{Value: v, Literal: t.text, At: t.pos}, nil
	case argDuration:
		d, lit, ok := parseDuration(t.text)
		if !ok {
			return nil, expected()
		}
		if d > maxDurationSeconds {
			return nil, p.errorf(t.pos, "expected %s as argument %d of %s, found %s (longer than 10y)", k.what(), i+1, fn, describeToken(t))
		}
		return &Duration{Seconds: d, Literal: lit, At: t.pos}, nil
	}
	s, msg := checkName(k, fn, t.text)
	if msg != "" {
		return nil, p.errorf(t.pos, "expected %s as argument %d of %s, found %s (%s)", k.what(), i+1, fn, describeToken(t), msg)
	}
	return &String{Value: s, At: t.pos}, nil
}

var metricNameRe = regexp.MustCompile(`^[A-Za-z0-9._\-*#]+$`)

// checkName validates (and normalises) a string argument; msg says why it
// was refused.
func checkName(k argKind, fn, s string) (value, msg string) {
	if s == "" {
		return "", "it is empty"
	}
	switch k {
	case argMetric:
		if !metricNameRe.MatchString(s) {
			return "", "a metric name has only letters, digits, . _ - and the wildcards * #"
		}
		if fn == "roleSlots" && !roleSlotsAllows(s) {
			return "", "roleSlots reads custom.* metrics and loadavg5, processor_queue_length, cpu.{user,iowait,system}.percentage, interface.{rx,tx}Bytes.delta, disk.{reads,writes}.delta, memory.{used,cached}, container.{cpu,memory}.usage"
		}
	case argRole:
		svc, role, ok := strings.Cut(s, ":")
		svc, role = strings.TrimSpace(svc), strings.TrimSpace(role)
		if !ok || svc == "" || role == "" || strings.Contains(role, ":") {
			return "", `a role is written "service:role"`
		}
		return svc + ":" + role, ""
	}
	return s, ""
}

var numberRe = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// parseNumber reads a decimal number or a fraction a/b; msg says why it
// was refused.
func parseNumber(s string) (v float64, msg string) {
	num, den, isFraction := strings.Cut(s, "/")
	a, msg := parseDecimal(num)
	if msg != "" || !isFraction {
		return a, msg
	}
	b, msg := parseDecimal(den)
	if msg != "" {
		return 0, msg
	}
	if b == 0 {
		return 0, "division by zero"
	}
	v = a / b
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, "out of range"
	}
	return v, ""
}

func parseDecimal(s string) (float64, string) {
	if !numberRe.MatchString(s) {
		return 0, "not a number"
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, "out of range"
	}
	return v, ""
}

var durationRe = regexp.MustCompile(`^([0-9]{1,9})(mo|m|h|d|w|y)$`)

var durationUnits = map[string]int64{"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "mo": 30 * 86400, "y": 365 * 86400}

// parseDuration reads a positive duration; lit is its normalised text.
func parseDuration(s string) (seconds int64, lit string, ok bool) {
	m := durationRe.FindStringSubmatch(s)
	if m == nil {
		return 0, "", false
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil || n == 0 {
		return 0, "", false
	}
	return n * durationUnits[m[2]], strconv.FormatInt(n, 10) + m[2], true
}
