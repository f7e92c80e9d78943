package ascode

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// This file reproduces the text upstream mkr prints for a modified monitor
// in `monitors diff` (every as-code file here diffs the same way):
// yudai/gojsondiff v1.0.0's Compare followed by its ASCII formatter
// (default config). That library has been unmaintained
// since 2017 and nothing maintained prints the same text, so the algorithm
// is re-implemented here from its behaviour, quirks included, because the
// output is what users' scripts and eyes are used to:
//   - keys sorted; "+" for added keys after all the others, without a comma;
//   - strings printed between quotes without escaping, numbers with %#v
//     (1000000 → 1e+06);
//   - arrays diffed by longest common subsequence, then moved items, then
//     the most similar pairs of the rest (by gojsondiff's similarity score).

// position is where a delta applies: an object key or an array index.
type position struct {
	name    string
	index   int
	isIndex bool
}

func (p position) String() string {
	if p.isIndex {
		return strconv.Itoa(p.index)
	}
	return p.name
}

func namePos(n string) position { return position{name: n} }
func indexPos(i int) position   { return position{index: i, isIndex: true} }

type deltaKind int

const (
	deltaObject deltaKind = iota
	deltaArray
	deltaAdded
	deltaModified
	deltaDeleted
	deltaMoved
)

type delta struct {
	kind     deltaKind
	pos      position // the position after the change (before it for deleted)
	oldPos   position // moved: where the item was
	value    any      // added, deleted, moved
	old, new any      // modified
	children []*delta // object, array
}

// similarity is gojsondiff's score of how alike the two sides of a delta
// are (1 alike, 0 unrelated); it picks which array items pair up.
func (d *delta) similarity() float64 {
	switch d.kind {
	case deltaObject, deltaArray:
		var sum float64
		for _, c := range d.children {
			sum += c.similarity()
		}
		return sum / float64(len(d.children))
	case deltaModified:
		s := 0.3
		if reflect.TypeOf(d.old) == reflect.TypeOf(d.new) {
			s += 0.3
			switch o := d.old.(type) {
			case string:
				s += 0.4 * stringSimilarity(o, d.new.(string))
			case float64:
				ratio := o / d.new.(float64)
				if ratio > 1 {
					ratio = 1 / ratio
				}
				s += 0.4 * ratio
			}
		}
		return s
	case deltaMoved:
		ratio := float64(d.oldPos.index) / float64(d.pos.index)
		if ratio > 1 {
			ratio = 1 / ratio
		}
		return 0.6 + 0.4*ratio
	}
	return 0
}

// stringSimilarity compares strings as gojsondiff does: an LCS over a slice
// as long as the string's bytes, holding each rune at its first byte.
func stringSimilarity(left, right string) float64 {
	m := float64(len(lcsPairs(runeSlots(left), runeSlots(right))))
	return (m / float64(len(left))) * (m / float64(len(right)))
}

func runeSlots(s string) []any {
	out := make([]any, len(s))
	for i, r := range s {
		out[i] = r
	}
	return out
}

type indexPair struct{ left, right int }

// lcsPairs returns the index pairs of a longest common subsequence, with
// the same tie-breaking as yudai/golcs.
func lcsPairs(left, right []any) []indexPair {
	table := make([][]int, len(left)+1)
	for x := range table {
		table[x] = make([]int, len(right)+1)
	}
	for y := 1; y <= len(right); y++ {
		for x := 1; x <= len(left); x++ {
			inc := 0
			if reflect.DeepEqual(left[x-1], right[y-1]) {
				inc = 1
			}
			table[x][y] = max(table[x-1][y-1]+inc, table[x-1][y], table[x][y-1])
		}
	}
	pairs := make([]indexPair, table[len(left)][len(right)])
	for x, y := len(left), len(right); x > 0 && y > 0; {
		switch {
		case reflect.DeepEqual(left[x-1], right[y-1]):
			pairs[table[x][y]-1] = indexPair{x - 1, y - 1}
			x--
			y--
		case table[x-1][y] >= table[x][y-1]:
			x--
		default:
			y--
		}
	}
	return pairs
}

// compareValues returns nil when a and b are the same.
func compareValues(pos position, a, b any) *delta {
	if reflect.TypeOf(a) != reflect.TypeOf(b) {
		return &delta{kind: deltaModified, pos: pos, old: a, new: b}
	}
	switch l := a.(type) {
	case map[string]any:
		if ds := compareMaps(l, b.(map[string]any)); len(ds) > 0 {
			return &delta{kind: deltaObject, pos: pos, children: ds}
		}
	case []any:
		if ds := compareArrays(l, b.([]any)); len(ds) > 0 {
			return &delta{kind: deltaArray, pos: pos, children: ds}
		}
	default:
		if !reflect.DeepEqual(a, b) {
			return &delta{kind: deltaModified, pos: pos, old: a, new: b}
		}
	}
	return nil
}

func compareMaps(left, right map[string]any) []*delta {
	var ds []*delta
	for _, k := range sortedKeys(left) {
		if rv, ok := right[k]; ok {
			if d := compareValues(namePos(k), left[k], rv); d != nil {
				ds = append(ds, d)
			}
		} else {
			ds = append(ds, &delta{kind: deltaDeleted, pos: namePos(k), value: left[k]})
		}
	}
	for _, k := range sortedKeys(right) {
		if _, ok := left[k]; !ok {
			ds = append(ds, &delta{kind: deltaAdded, pos: namePos(k), value: right[k]})
		}
	}
	return ds
}

// maybe is an array item outside the LCS: deleted, added, moved or changed.
type maybe struct {
	index    int
	lcsIndex int // how many LCS items come before it
	item     any
}

func outsideLCS(items []any, inLCS func(p indexPair) int, pairs []indexPair) []maybe {
	var out []maybe
	k := 0
	for i, v := range items {
		if k < len(pairs) && inLCS(pairs[k]) == i {
			k++
			continue
		}
		out = append(out, maybe{index: i, lcsIndex: k, item: v})
	}
	return out
}

func compareArrays(left, right []any) []*delta {
	pairs := lcsPairs(left, right)
	dels := outsideLCS(left, func(p indexPair) int { return p.left }, pairs)
	adds := outsideLCS(right, func(p indexPair) int { return p.right }, pairs)

	var ds []*delta
	// An equal item on both sides has moved.
	for i := 0; i < len(dels); {
		j := slices.IndexFunc(adds, func(a maybe) bool { return reflect.DeepEqual(dels[i].item, a.item) })
		if j < 0 {
			i++
			continue
		}
		ds = append(ds, &delta{kind: deltaMoved, oldPos: indexPos(dels[i].index), pos: indexPos(adds[j].index), value: dels[i].item})
		adds = slices.Delete(adds, j, j+1)
		dels = slices.Delete(dels, i, i+1)
	}
	// Between two LCS items, pair the most similar deletions and additions
	// as changes; the rest are deleted or added.
	for gap := 0; gap <= len(pairs); gap++ {
		var gd, ga []maybe
		for len(dels) > 0 && dels[0].lcsIndex == gap {
			gd, dels = append(gd, dels[0]), dels[1:]
		}
		for len(adds) > 0 && adds[0].lcsIndex == gap {
			ga, adds = append(ga, adds[0]), adds[1:]
		}
		if len(gd) > 0 && len(ga) > 0 {
			var best []*delta
			best, gd, ga = maximizeSimilarities(gd, ga)
			ds = append(ds, best...)
		}
		for _, d := range gd {
			ds = append(ds, &delta{kind: deltaDeleted, pos: indexPos(d.index), value: d.item})
		}
		for _, a := range ga {
			ds = append(ds, &delta{kind: deltaAdded, pos: indexPos(a.index), value: a.item})
		}
	}
	return ds
}

// maximizeSimilarities follows gojsondiff's dynamic programme step for
// step, including which leftovers it reports at the end.
func maximizeSimilarities(left, right []maybe) (best []*delta, freeLeft, freeRight []maybe) {
	table := make([][]*delta, len(left))
	for i, l := range left {
		table[i] = make([]*delta, len(right))
		for j, r := range right {
			table[i][j] = compareValues(indexPos(r.index), l.item, r.item)
		}
	}
	sizeX, sizeY := len(left)+1, len(right)+1
	dp := make([][]float64, sizeX)
	for i := range dp {
		dp[i] = make([]float64, sizeY)
	}
	for x := sizeX - 2; x >= 0; x-- {
		for y := sizeY - 2; y >= 0; y-- {
			score := dp[x+1][y+1]
			if table[x][y] != nil {
				score += table[x][y].similarity()
			}
			dp[x][y] = maxFloat(dp[x+1][y], dp[x][y+1], score)
		}
	}
	maxInvalid := min(len(left), len(right)) - 1
	x, y := 0, 0
	for x <= sizeX-2 && y <= sizeY-2 {
		cur := dp[x][y]
		xValid := len(left) - maxInvalid + y
		yValid := len(right) - maxInvalid + x
		switch {
		case x+1 < xValid && cur == dp[x+1][y]:
			freeLeft = append(freeLeft, left[x])
			x++
		case y+1 < yValid && cur == dp[x][y+1]:
			freeRight = append(freeRight, right[y])
			y++
		default:
			best = append(best, table[x][y])
			x++
			y++
		}
	}
	// gojsondiff reports the item before each unvisited one here.
	for ; x < sizeX-1; x++ {
		freeLeft = append(freeLeft, left[max(x-1, 0)])
	}
	for ; y < sizeY-1; y++ {
		freeRight = append(freeRight, right[max(y-1, 0)])
	}
	return best, freeLeft, freeRight
}

// maxFloat keeps the first of equal values and ignores NaN after the first,
// as gojsondiff's max does.
func maxFloat(first float64, rest ...float64) float64 {
	m := first
	for _, v := range rest {
		if m < v {
			m = v
		}
	}
	return m
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// asciiDiff formats the deltas from left to right as gojsondiff's ASCII
// formatter does. It returns "" when the objects are the same.
func asciiDiff(left, right map[string]any) string {
	ds := compareMaps(left, right)
	if len(ds) == 0 {
		return ""
	}
	f := &asciiFormatter{}
	f.line(" ", "{")
	f.push("ROOT", len(left), false)
	f.object(left, ds)
	f.pop()
	f.line(" ", "}")
	return f.b.String()
}

type asciiFormatter struct {
	b       strings.Builder
	depth   int
	size    []int
	inArray []bool
}

func (f *asciiFormatter) push(_ string, size int, array bool) {
	f.depth++
	f.size = append(f.size, size)
	f.inArray = append(f.inArray, array)
}

func (f *asciiFormatter) pop() {
	f.depth--
	f.size = f.size[:len(f.size)-1]
	f.inArray = f.inArray[:len(f.inArray)-1]
}

func (f *asciiFormatter) line(marker, text string) {
	f.b.WriteString(marker)
	f.b.WriteString(strings.Repeat("  ", f.depth))
	f.b.WriteString(text)
	f.b.WriteByte('\n')
}

func (f *asciiFormatter) key(name string) string {
	if !f.inArray[len(f.inArray)-1] {
		return `"` + name + `": `
	}
	return ""
}

// comma counts one printed item of the innermost container and says
// whether another follows.
func (f *asciiFormatter) comma() string {
	f.size[len(f.size)-1]--
	if f.size[len(f.size)-1] > 0 {
		return ","
	}
	return ""
}

func (f *asciiFormatter) object(o map[string]any, ds []*delta) {
	for _, k := range sortedKeys(o) {
		f.item(o[k], ds, namePos(k))
	}
	for _, d := range ds {
		if d.kind == deltaAdded {
			f.value(d.pos.String(), d.value, "+")
		}
	}
}

func (f *asciiFormatter) array(a []any, ds []*delta) {
	for i, v := range a {
		f.item(v, ds, indexPos(i))
	}
	for _, d := range ds {
		if d.kind == deltaAdded && d.pos.index >= len(a) {
			f.value(d.pos.String(), d.value, "+")
		}
	}
}

// item prints one member of the left side with the deltas found at its
// position. gojsondiff stops at a delta it cannot print (a move), so the
// item then disappears from the output; so does it here.
func (f *asciiFormatter) item(v any, ds []*delta, pos position) {
	var matched []*delta
	for _, d := range ds {
		if d.pos == pos {
			matched = append(matched, d)
		}
	}
	if len(matched) == 0 {
		f.value(pos.String(), v, " ")
		return
	}
	name := pos.String()
	for _, d := range matched {
		switch d.kind {
		case deltaObject:
			o, ok := v.(map[string]any)
			if !ok {
				return
			}
			f.line(" ", f.key(name)+"{")
			f.push(name, len(o), false)
			f.object(o, d.children)
			f.pop()
			f.line(" ", "}"+f.comma())
		case deltaArray:
			a, ok := v.([]any)
			if !ok {
				return
			}
			f.line(" ", f.key(name)+"[")
			f.push(name, len(a), true)
			f.array(a, d.children)
			f.pop()
			f.line(" ", "]"+f.comma())
		case deltaAdded:
			f.value(name, d.value, "+")
			f.size[len(f.size)-1]++
		case deltaModified:
			saved := f.size[len(f.size)-1]
			f.value(name, d.old, "-")
			f.size[len(f.size)-1] = saved
			f.value(name, d.new, "+")
		case deltaDeleted:
			f.value(name, d.value, "-")
		default:
			return
		}
	}
}

func (f *asciiFormatter) value(name string, v any, marker string) {
	switch t := v.(type) {
	case map[string]any:
		f.line(marker, f.key(name)+"{")
		f.push(name, len(t), false)
		for _, k := range sortedKeys(t) {
			f.value(k, t[k], marker)
		}
		f.pop()
		f.line(marker, "}"+f.comma())
	case []any:
		f.line(marker, f.key(name)+"[")
		f.push("", len(t), true)
		for _, item := range t {
			f.value("", item, marker)
		}
		f.pop()
		f.line(marker, "]"+f.comma())
	default:
		f.line(marker, f.key(name)+scalar(v)+f.comma())
	}
}

func scalar(v any) string {
	switch t := v.(type) {
	case string:
		return `"` + t + `"`
	case nil:
		return "null"
	}
	return fmt.Sprintf("%#v", v)
}
