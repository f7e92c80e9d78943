package cmdutil

import (
	"bytes"
	"testing"
)

func TestGenericTable(t *testing.T) {
	type svc struct {
		Name  string   `json:"name"`
		Memo  string   `json:"memo"`
		Roles []string `json:"roles"`
	}
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"object, fields in order", svc{Name: "web", Memo: "m", Roles: []string{"app"}},
			"FIELD   VALUE\nname    web\nmemo    m\nroles   [\"app\"]\n"},
		{"list of objects, union of fields", []map[string]any{{"id": "a", "n": 1}, {"id": "b", "x": nil}},
			"ID   N   X\na    1\nb\n"},
		{"list of strings", []string{"a", "b"}, "VALUE\na\nb\n"},
		{"scalar", 1.5, "VALUE\n1.5\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tbl, err := GenericTable(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := tbl.Render(&buf); err != nil {
				t.Fatal(err)
			}
			if buf.String() != tt.want {
				t.Errorf("got:\n%q\nwant:\n%q", buf.String(), tt.want)
			}
		})
	}
}

// --output table on a command without a table of its own prints the
// generic table instead of failing after the command's write.
func TestPrinterTableWithoutTableView(t *testing.T) {
	var buf bytes.Buffer
	p := &Printer{out: &buf, opts: PrintOptions{Output: OutputTable}}
	if err := p.Print(Output{JSON: map[string]string{"name": "web"}}); err != nil {
		t.Fatal(err)
	}
	if want := "FIELD   VALUE\nname    web\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}
