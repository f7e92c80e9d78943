package cmdutil

import (
	"os"
	"strconv"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"golang.org/x/term"
)

// Tables fit the terminal: when the rows are wider than it, the widest
// column (a memo, a list of roles) is narrowed as far as needed and its
// cells cut with an ellipsis, so the other columns (ids, times) stay
// whole. Only when the widest would fall below minColumnWidth does the
// next widest give way too; a table that cannot fit even then is printed
// at that width and wraps as it must. Widths are measured as the table
// library measures them (east Asian wide characters count two).
const (
	minColumnWidth = 5
	columnGap      = 3 // Render's right padding between columns
	ellipsis       = "…"
)

// Fit returns t narrowed to width display columns, or t itself when it
// fits or width is 0 (unknown: no limit).
func (t *Table) Fit(width int) *Table {
	if width <= 0 || len(t.Header) == 0 {
		return t
	}
	widths := make([]int, len(t.Header))
	measure := func(row []string) {
		for i, cell := range row {
			if i < len(widths) {
				widths[i] = max(widths[i], twwidth.Width(cell))
			}
		}
	}
	measure(t.Header)
	for _, r := range t.Rows {
		measure(r)
	}
	total := columnGap * (len(widths) - 1)
	for _, w := range widths {
		total += w
	}
	if total <= width {
		return t
	}
	limits := append([]int(nil), widths...)
	narrowed := make([]bool, len(limits))
	for total > width {
		widest := -1
		for i, w := range limits {
			if !narrowed[i] && (widest < 0 || w > limits[widest]) {
				widest = i
			}
		}
		if widest < 0 || limits[widest] <= minColumnWidth {
			break
		}
		cut := min(total-width, limits[widest]-minColumnWidth)
		limits[widest] -= cut
		total -= cut
		narrowed[widest] = true
	}
	cut := func(row []string) []string {
		out := make([]string, len(row))
		for i, cell := range row {
			out[i] = cell
			if i < len(limits) && twwidth.Width(cell) > limits[i] {
				out[i] = twwidth.Truncate(cell, limits[i]-twwidth.Width(ellipsis)) + ellipsis
			}
		}
		return out
	}
	fitted := &Table{Header: cut(t.Header), Rows: make([][]string, len(t.Rows))}
	for i, r := range t.Rows {
		fitted.Rows[i] = cut(r)
	}
	return fitted
}

// tableWidth is how wide a table on stdout may be: $COLUMNS when it is a
// positive number (set by the person, or by a test), else the terminal's
// width when stdout is one, else 0 (no limit: a file takes any width).
func (f *Factory) tableWidth() int {
	if c, err := strconv.Atoi(f.Getenv("COLUMNS")); err == nil && c > 0 {
		return c
	}
	if f.IO.StdoutTTY {
		return f.IO.Width
	}
	return 0
}

// terminalWidth is the width of the terminal on file, 0 when it is none
// or the size cannot be read.
func terminalWidth(file *os.File) int {
	w, _, err := term.GetSize(int(file.Fd()))
	if err != nil || w <= 0 {
		return 0
	}
	return w
}
