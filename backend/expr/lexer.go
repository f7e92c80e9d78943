package expr

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

type tokenKind int

const (
	tokEOF tokenKind = iota
	tokLParen
	tokRParen
	tokComma
	tokWord    // a bare word: letters, digits and . _ - * # : / +
	tokString  // a quoted string (text holds the unescaped value)
	tokIllegal // a character that starts no token, or an unterminated string
)

type token struct {
	kind tokenKind
	text string
	pos  int
}

// isWordByte reports whether c may appear in a bare word. The set covers
// metric names and their wildcards, "service:role", host ids, numbers
// (sign, exponent, fraction slash) and durations.
func isWordByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '.', '_', '-', '*', '#', ':', '/', '+':
		return true
	}
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

type lexer struct {
	src string
	pos int
}

// next returns the next token; whitespace (newlines included) between
// tokens is skipped.
func (l *lexer) next() token {
	for l.pos < len(l.src) && isSpace(l.src[l.pos]) {
		l.pos++
	}
	start := l.pos
	if start >= len(l.src) {
		return token{kind: tokEOF, pos: start}
	}
	c := l.src[start]
	switch {
	case c == '(':
		l.pos++
		return token{kind: tokLParen, text: "(", pos: start}
	case c == ')':
		l.pos++
		return token{kind: tokRParen, text: ")", pos: start}
	case c == ',':
		l.pos++
		return token{kind: tokComma, text: ",", pos: start}
	case c == '\'' || c == '"':
		return l.quoted(c)
	case isWordByte(c):
		for l.pos < len(l.src) && isWordByte(l.src[l.pos]) {
			l.pos++
		}
		return token{kind: tokWord, text: l.src[start:l.pos], pos: start}
	}
	_, size := utf8.DecodeRuneInString(l.src[start:])
	l.pos += size
	return token{kind: tokIllegal, text: l.src[start:l.pos], pos: start}
}

// quoted reads a string opened by q; a backslash escapes the next byte.
// An unterminated string is an illegal token at its opening quote.
func (l *lexer) quoted(q byte) token {
	start := l.pos
	var val []byte
	for i := start + 1; i < len(l.src); i++ {
		c := l.src[i]
		switch {
		case c == q:
			l.pos = i + 1
			return token{kind: tokString, text: string(val), pos: start}
		case c == '\\' && i+1 < len(l.src):
			i++
			val = append(val, l.src[i])
		default:
			val = append(val, c)
		}
	}
	l.pos = len(l.src)
	return token{kind: tokIllegal, text: l.src[start:], pos: start}
}

// describeToken names a token for "found …" in error messages.
func describeToken(t token) string {
	switch t.kind {
	case tokEOF:
		return "end of input"
	case tokLParen, tokRParen, tokComma:
		return strconv.Quote(t.text)
	case tokWord:
		return "word " + strconv.Quote(clip(t.text))
	case tokString:
		return "string " + quote(clip(t.text))
	}
	if c := t.text[0]; c == '\'' || c == '"' {
		return "an unterminated string"
	}
	return fmt.Sprintf("character %q", clip(t.text))
}

// clip shortens long text in messages.
func clip(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
