// Package expr is Mackerel's expression language (the "advanced graph"
// functions that expression monitors use): a parser that reports syntax
// errors with their byte position, a normalised one-line rendering
// (Describe), and an evaluator over a Source of series.
//
// An expression is a function call such as
//
//	avg(roleSlots(Blog:db, loadavg5))
//	scale(timeLeftForecast(host(22CXRB3pZmu, custom.fs.used), 3mo, 2000000000000), 1/86400)
//
// Arguments are nested calls (series), bare words or quoted strings (host
// ids, metric names with * or # wildcards, service names, "service:role",
// display names), numbers (10, -1.5, 1e3, or a fraction 1/86400) and
// durations (5m, 1h, 3d, 1w, 3mo, 1y, bare or quoted). What an argument
// is depends on its place: in host(1d, 5m) both words are names. Function
// names, their arity and the kind of every argument are checked at parse
// time, so a monitor with a bad expression is refused when it is created.
package expr

import "strings"

// Expr is a node of a parsed expression: *Call, *String, *Number or
// *Duration. Parse always returns a *Call.
type Expr interface {
	// Pos is the 0-based byte offset of the node in the source.
	Pos() int
	node()
}

// Call is a function call; its result is a list of series.
type Call struct {
	Func string
	Args []Expr
	At   int // offset of the function name
}

// String is a bare word or a quoted string, unquoted and unescaped. A
// "service:role" is stored without spaces around the colon.
type String struct {
	Value string
	At    int
}

// Number is a numeric argument; Literal is its text as written (kept so
// that Describe shows 1/86400 rather than 1.1574074074074073e-05).
type Number struct {
	Value   float64
	Literal string
	At      int
}

// Duration is a length of time; Literal is its normalised text ("5m").
// A month is 30 days and a year 365 days.
type Duration struct {
	Seconds int64
	Literal string
	At      int
}

func (c *Call) Pos() int     { return c.At }
func (s *String) Pos() int   { return s.At }
func (n *Number) Pos() int   { return n.At }
func (d *Duration) Pos() int { return d.At }

func (*Call) node()     {}
func (*String) node()   {}
func (*Number) node()   {}
func (*Duration) node() {}

// Describe renders e on one line in a normalised form that Parse reads
// back to the same tree: ", " between arguments, names bare when they
// can be, display names always single-quoted.
func Describe(e Expr) string {
	var b strings.Builder
	describe(&b, e, false)
	return b.String()
}

func describe(b *strings.Builder, e Expr, forceQuote bool) {
	switch n := e.(type) {
	case *Call:
		b.WriteString(n.Func)
		b.WriteByte('(')
		spec := functions[n.Func]
		for i, a := range n.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			describe(b, a, spec != nil && spec.argKind(i) == argDisplayName)
		}
		b.WriteByte(')')
	case *String:
		if !forceQuote && isBareWord(n.Value) {
			b.WriteString(n.Value)
			return
		}
		b.WriteString(quote(n.Value))
	case *Number:
		b.WriteString(n.Literal)
	case *Duration:
		b.WriteString(n.Literal)
	}
}

// isBareWord reports whether s can be written without quotes.
func isBareWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isWordByte(s[i]) {
			return false
		}
	}
	return true
}

// quote writes s in single quotes, escaping backslashes and quotes.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' || s[i] == '\'' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('\'')
	return b.String()
}
