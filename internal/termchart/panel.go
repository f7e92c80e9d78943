package termchart

import (
	"fmt"
	"sort"
	"strings"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// Panel is a titled box at a place on the screen, in character cells:
// Row and Col of its top-left corner, Width and Height with the frame.
// Body is its text; Wrap says whether long lines are wrapped at spaces
// (prose) or cut with an ellipsis (charts and tables, whose columns
// must stay aligned). What does not fit in the box is cut, the last line
// kept saying how many lines were left out.
type Panel struct {
	Row, Col      int
	Width, Height int
	Title         string
	Body          string
	Wrap          bool
}

// minPanel is the smallest box drawn: a frame around one cell.
const minPanel = 3

// Compose draws panels on a screen of width columns (as many rows as
// the lowest panel needs). Panels must not overlap; one that reaches
// past width is cut at the screen's edge. Rows keep no trailing spaces.
func Compose(panels []Panel, width int) string {
	ps := append([]Panel(nil), panels...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Col < ps[j].Col })
	rows := 0
	for _, p := range ps {
		rows = max(rows, p.Row+max(p.Height, minPanel))
	}
	frames := make([][]string, len(ps))
	for i, p := range ps {
		frames[i] = Frame(p.Title, p.Body, min(p.Width, width-p.Col), p.Height, p.Wrap)
	}
	var b strings.Builder
	for r := 0; r < rows; r++ {
		var line strings.Builder
		at := 0 // display columns written on this row
		for i, p := range ps {
			if r < p.Row || r >= p.Row+len(frames[i]) || p.Col >= width {
				continue
			}
			if p.Col > at {
				line.WriteString(strings.Repeat(" ", p.Col-at))
				at = p.Col
			}
			cell := frames[i][r-p.Row]
			line.WriteString(cell)
			at += twwidth.Width(cell)
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteString("\n")
	}
	return b.String()
}

// Inside is the room a panel of width×height cells has for its body: the
// frame and a column of margin on each side taken off.
func Inside(width, height int) (w, h int) {
	width, height = max(width, minPanel), max(height, minPanel)
	return max(width-4, 1), height - 2
}

// Frame draws one box of exactly width×height cells (at least 3×3): the
// title in the top border, body inside with a column of margin on each
// side, every line padded to the width.
func Frame(title, body string, width, height int, wrap bool) []string {
	width, height = max(width, minPanel), max(height, minPanel)
	inner, rows := Inside(width, height)
	top := "┌"
	if title != "" && width >= 6 {
		top += "─" + fit(" "+title+" ", width-3, true)
	}
	top += strings.Repeat("─", max(0, width-1-twwidth.Width(top))) + "┐"
	lines := bodyLines(body, inner, wrap)
	if len(lines) > rows {
		cut := len(lines) - rows + 1
		lines = append(lines[:rows-1], cutNote(cut, inner))
	}
	out := make([]string, 0, height)
	out = append(out, top)
	side := (width - 2 - inner) / 2 // the margin, 0 in a box too small for one
	for i := 0; i < rows; i++ {
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		out = append(out, "│"+strings.Repeat(" ", side)+pad(l, width-2-side)+"│")
	}
	return append(out, "└"+strings.Repeat("─", width-2)+"┘")
}

// Wrap breaks text into lines of at most width columns at spaces (see
// Panel.Wrap), for text drawn outside a panel.
func Wrap(text string, width int) string {
	lines := bodyLines(text, width, true)
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

// bodyLines splits body into lines no wider than width.
func bodyLines(body string, width int, wrap bool) []string {
	body = strings.TrimRight(body, "\n")
	if body == "" {
		return nil
	}
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if !wrap {
			out = append(out, fit(l, width, true))
			continue
		}
		out = append(out, wrapLine(l, width)...)
	}
	return out
}

// wrapLine breaks a line at spaces into lines of at most width columns
// (a word longer than that is cut with an ellipsis), keeping the line's
// indent on the lines it continues on.
func wrapLine(line string, width int) []string {
	indent := line[:len(line)-len(strings.TrimLeft(line, " "))]
	if twwidth.Width(indent) > width/2 {
		indent = ""
	}
	words := strings.Fields(line)
	if len(words) == 0 {
		return []string{""}
	}
	var out []string
	cur := indent
	for _, w := range words {
		switch {
		case cur == indent:
			cur += w
		case twwidth.Width(cur)+1+twwidth.Width(w) <= width:
			cur += " " + w
		default:
			out = append(out, fit(cur, width, true))
			cur = indent + w
		}
	}
	return append(out, fit(cur, width, true))
}

// fit cuts s to width display columns, marking a cut with "…" when
// ellipsis is set; ANSI colours are kept and reset after a cut.
func fit(s string, width int, ellipsis bool) string {
	if twwidth.Width(s) <= width {
		return s
	}
	if ellipsis && width >= 1 {
		return twwidth.Truncate(s, width-1) + "…"
	}
	return twwidth.Truncate(s, width)
}

func pad(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-twwidth.Width(s)))
}

// cutNote says how many lines a box left out, as long as it can.
func cutNote(n, width int) string {
	long := fmt.Sprintf("⋯ %d more lines", n)
	if n == 1 {
		long = "⋯ 1 more line"
	}
	if twwidth.Width(long) <= width {
		return long
	}
	return fit(fmt.Sprintf("⋯ +%d", n), width, false)
}
