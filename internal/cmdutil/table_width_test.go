package cmdutil

import (
	"bytes"
	"reflect"
	"testing"
)

func TestTableFit(t *testing.T) {
	tbl := &Table{
		Header: []string{"id", "name", "memo"},
		Rows: [][]string{
			{"a1", "web (Web server)", "a long memo that nobody reads to the end"},
			{"b2", "db", "short"},
		},
	}
	// Unlimited, or wide enough: the same table.
	for _, w := range []int{0, 70, 200} {
		if got := tbl.Fit(w); got != tbl {
			t.Errorf("Fit(%d) changed a table that fits: %+v", w, got)
		}
	}
	// 2 + 3 + 16 + 3 + 40 = 64 columns; at 40 the memo (the widest) gives
	// up 24, ellipsis included.
	got := tbl.Fit(40)
	want := [][]string{{"a1", "web (Web server)", "a long memo tha…"}, {"b2", "db", "short"}}
	if !reflect.DeepEqual(got.Rows, want) {
		t.Fatalf("Fit(40) rows = %q, want %q", got.Rows, want)
	}
	var buf bytes.Buffer
	if err := got.Render(&buf); err != nil {
		t.Fatal(err)
	}
	wantOut := "ID   NAME               MEMO\n" +
		"a1   web (Web server)   a long memo tha…\n" +
		"b2   db                 short\n"
	if buf.String() != wantOut {
		t.Fatalf("rendered:\n%s\nwant:\n%s", buf.String(), wantOut)
	}
	// Narrower: the memo alone gives way, down to 5 columns; then the
	// next widest. The original is untouched.
	got = tbl.Fit(30)
	want = [][]string{{"a1", "web (Web server)", "a lon…"}, {"b2", "db", "short"}}
	if !reflect.DeepEqual(got.Rows, want) {
		t.Fatalf("Fit(30) rows = %q, want %q", got.Rows, want)
	}
	got = tbl.Fit(20)
	want = [][]string{{"a1", "web (W…", "a lo…"}, {"b2", "db", "short"}}
	if !reflect.DeepEqual(got.Rows, want) {
		t.Fatalf("Fit(20) rows = %q, want %q", got.Rows, want)
	}
	if tbl.Rows[0][2] != "a long memo that nobody reads to the end" {
		t.Fatal("Fit changed its receiver")
	}
	// Too narrow for any column to fit: none is cut below 5 columns, and
	// the header is cut like a cell.
	got = (&Table{Header: []string{"description"}, Rows: [][]string{{"x"}}}).Fit(3)
	if !reflect.DeepEqual(got.Header, []string{"desc…"}) {
		t.Fatalf("Fit(3) header = %q", got.Header)
	}
	// Wide characters count two columns.
	got = (&Table{Header: []string{"name"}, Rows: [][]string{{"サーバー一覧です"}}}).Fit(9)
	if !reflect.DeepEqual(got.Rows, [][]string{{"サーバー…"}}) {
		t.Fatalf("Fit(9) of wide text = %q", got.Rows)
	}
}
