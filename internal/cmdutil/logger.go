package cmdutil

import (
	"fmt"
	"io"
	"strings"
	"sync"
)

// Logger writes upstream mkr's stderr log lines: a prefix right-aligned to
// 10 columns, a space, and the message. Unlike upstream, colour is used only
// on a terminal and --quiet applies to every command.
type Logger struct {
	mu    sync.Mutex
	w     io.Writer
	quiet bool
	color bool
}

// NewLogger returns a Logger writing to w.
func NewLogger(w io.Writer, quiet, color bool) *Logger {
	return &Logger{w: w, quiet: quiet, color: color}
}

// quietPrefixes are the informational prefixes --quiet hides.
var quietPrefixes = map[string]bool{
	"": true, "info": true, "created": true, "updated": true, "thrown": true,
	"retired": true, "deleted": true, "closed": true, "installed": true,
	"revoked": true,
}

const (
	ANSIReset  = "\x1b[0m"
	ANSIRed    = "\x1b[31m"
	ANSIGreen  = "\x1b[32m"
	ANSIYellow = "\x1b[33m"
	ANSIBold   = "\x1b[1m"
)

// Log writes one line with prefix; format and args are as for fmt.Sprintf.
func (l *Logger) Log(prefix, format string, args ...any) {
	if l == nil || (l.quiet && quietPrefixes[prefix]) {
		return
	}
	msg := fmt.Sprintf(format, args...)
	p := fmt.Sprintf("%10s", prefix)
	if l.color {
		p = prefixColor(prefix) + p + ANSIReset
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range strings.Split(strings.TrimRight(msg, "\n"), "\n") {
		fmt.Fprintf(l.w, "%s %s\n", p, line)
		p = strings.Repeat(" ", 10)
	}
}

func prefixColor(prefix string) string {
	switch prefix {
	case "error", "critical":
		return ANSIBold + ANSIRed
	case "warning":
		return ANSIBold + ANSIYellow
	default:
		return ANSIBold + ANSIGreen
	}
}

// Info logs an "info" line.
func (l *Logger) Info(format string, args ...any) { l.Log("info", format, args...) }

// Warn logs a "warning" line.
func (l *Logger) Warn(format string, args ...any) { l.Log("warning", format, args...) }

// Error logs an "error" line.
func (l *Logger) Error(format string, args ...any) { l.Log("error", format, args...) }
