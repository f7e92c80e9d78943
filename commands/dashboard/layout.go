package dashboard

import (
	"sort"

	"github.com/mkr-dev/mkr/client"
)

// gridColumns is the width of Mackerel's dashboard grid.
const gridColumns = 24

// The narrowest box, in terminal columns, that still reads: a chart
// needs its y-axis labels and some room to plot, the other widgets a
// number or a short line. A terminal too narrow to give every widget its
// minimum on the grid gets the widgets stacked in one column instead.
const (
	minGraphColumns = 32
	minOtherColumns = 20
)

// rowsPerUnit is how many terminal lines one grid unit of height takes:
// a twelfth of the terminal's height, between 2 (a graph of the smallest
// height, 6, then still has room for its plot, axis and legend) and 4.
func rowsPerUnit(termHeight int) int { return min(max(termHeight/12, 2), 4) }

// box is a widget's place on the screen in character cells.
type box struct {
	w                       client.Widget
	row, col, width, height int
}

// layout places the widgets on a screen of termWidth columns: on the
// 24-column grid scaled to the width (side by side where the dashboard
// puts them) when every widget gets its minimum width there, else one
// under another at full width in reading order. stacked says which, and
// gridWidth is the narrowest terminal that shows the grid.
func layout(ws []client.Widget, termWidth, termHeight int) (boxes []box, stacked bool, gridWidth int) {
	unit := rowsPerUnit(termHeight)
	gridWidth = gridWidthFor(ws)
	if termWidth >= gridWidth {
		for _, w := range ws {
			col := w.Layout.X * termWidth / gridColumns
			end := (w.Layout.X + w.Layout.Width) * termWidth / gridColumns
			boxes = append(boxes, box{w: w, row: w.Layout.Y * unit, col: col, width: end - col, height: w.Layout.Height * unit})
		}
		sort.SliceStable(boxes, func(i, j int) bool { return before(boxes[i].w, boxes[j].w) })
		return boxes, false, gridWidth
	}
	row := 0
	for _, w := range inReadingOrder(ws) {
		h := w.Layout.Height * unit
		boxes = append(boxes, box{w: w, row: row, col: 0, width: termWidth, height: h})
		row += h
	}
	return boxes, true, gridWidth
}

// gridWidthFor is the narrowest terminal on which every widget's share of
// the grid is at least its minimum width.
func gridWidthFor(ws []client.Widget) int {
	need := 0
	for _, w := range ws {
		least := minOtherColumns
		if w.Type == "graph" {
			least = minGraphColumns
		}
		units := max(w.Layout.Width, 1)
		// The box is floor((x+width)·W/24) − floor(x·W/24) ≥ floor(width·W/24),
		// so W = ⌈least·24/width⌉ always suffices.
		need = max(need, (least*gridColumns+units-1)/units)
	}
	return need
}

// inReadingOrder sorts widgets top to bottom, then left to right.
func inReadingOrder(ws []client.Widget) []client.Widget {
	out := append([]client.Widget(nil), ws...)
	sort.SliceStable(out, func(i, j int) bool { return before(out[i], out[j]) })
	return out
}

func before(a, b client.Widget) bool {
	if a.Layout.Y != b.Layout.Y {
		return a.Layout.Y < b.Layout.Y
	}
	return a.Layout.X < b.Layout.X
}
