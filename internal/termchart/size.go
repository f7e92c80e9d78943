package termchart

import (
	"io"
	"os"
	"strconv"

	"golang.org/x/term"
)

// Size returns the terminal's columns and rows: COLUMNS and LINES when
// set (as shells export them, and as tests fix them), else the size of
// out when it is a terminal, else 80×24.
func Size(out io.Writer, getenv func(string) string) (width, height int) {
	width, height = 80, 24
	if f, ok := out.(*os.File); ok {
		if w, h, err := term.GetSize(int(f.Fd())); err == nil && w > 0 && h > 0 {
			width, height = w, h
		}
	}
	if n, err := strconv.Atoi(getenv("COLUMNS")); err == nil && n > 0 {
		width = n
	}
	if n, err := strconv.Atoi(getenv("LINES")); err == nil && n > 0 {
		height = n
	}
	return width, height
}
