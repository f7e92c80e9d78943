package cmdutil

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"text/template"
)

// Output formats accepted by --output.
const (
	OutputAuto  = ""
	OutputJSON  = "json"
	OutputTable = "table"
)

// PrintOptions are the output flags of one command run.
type PrintOptions struct {
	Output string // "", "json" or "table"
	JQ     string // --jq
	Format string // --format (Go text/template)
}

func (o PrintOptions) Validate() error {
	switch o.Output {
	case OutputAuto, OutputJSON, OutputTable:
	default:
		return FlagErrorf("--output must be json or table, not %q", o.Output)
	}
	if o.JQ != "" && o.Format != "" {
		return FlagErrorf("--format and --jq options are incompatible.")
	}
	if o.Output == OutputTable && (o.JQ != "" || o.Format != "") {
		return FlagErrorf("--output table cannot be combined with --jq or --format")
	}
	// Parse both now: a command with a side effect (a delete) must not run
	// and only then find that it cannot print.
	if o.JQ != "" {
		if _, err := CompileJQ(o.JQ); err != nil {
			return err
		}
	}
	if o.Format != "" {
		if _, err := template.New("format").Parse(o.Format); err != nil {
			return FlagErrorf("invalid --format template: %v", err)
		}
	}
	return nil
}

// Output is what a command has to show, in every form it supports.
type Output struct {
	// JSON is printed as JSON and is the input of --jq.
	JSON any
	// Template is the data of --format; defaults to JSON.
	Template any
	// Table renders the value for a terminal; nil means JSON only.
	Table func() *Table
}

// Printer writes a command's result to stdout. It is the only code that
// decides between jq, template, table and JSON.
type Printer struct {
	out   io.Writer
	tty   bool
	color bool
	width int // of tables; 0 is no limit
	opts  PrintOptions
}

// Print renders o according to the options: --jq, then --format, then a
// table (forced, or on a terminal), otherwise upstream-compatible JSON.
func (p *Printer) Print(o Output) error {
	switch {
	case p.opts.JQ != "":
		return RunJQ(p.out, p.opts.JQ, o.JSON)
	case p.opts.Format != "":
		data := o.Template
		if data == nil {
			data = o.JSON
		}
		return RunTemplate(p.out, p.opts.Format, data)
	case o.Table != nil && (p.opts.Output == OutputTable || (p.opts.Output == OutputAuto && p.tty)):
		return o.Table().Fit(p.width).Render(p.out)
	case o.Table == nil && p.opts.Output == OutputTable:
		// Never fail here: a write command has already written.
		t, err := GenericTable(o.JSON)
		if err != nil {
			return err
		}
		return t.Fit(p.width).Render(p.out)
	default:
		return WriteJSON(p.out, o.JSON)
	}
}

// PrintText writes plain lines (ids, messages meant for stdout).
func (p *Printer) PrintText(format string, args ...any) error {
	_, err := fmt.Fprintf(p.out, format, args...)
	return err
}

// MarshalUpstream encodes v the way upstream mkr does: 4-space indent, with
// < and > unescaped but & left as \u0026.
func MarshalUpstream(v any) ([]byte, error) {
	data, err := json.MarshalIndent(v, "", "    ")
	if err != nil {
		return nil, err
	}
	data = bytes.ReplaceAll(data, []byte(`\u003c`), []byte("<"))
	data = bytes.ReplaceAll(data, []byte(`\u003e`), []byte(">"))
	return data, nil
}

func WriteJSON(w io.Writer, v any) error {
	data, err := MarshalUpstream(v)
	if err != nil {
		return err
	}
	data = append(data, '\n')
	_, err = w.Write(data)
	return err
}

func RunTemplate(w io.Writer, text string, data any) error {
	tmpl, err := template.New("format").Parse(text)
	if err != nil {
		return FlagErrorf("invalid --format template: %v", err)
	}
	return tmpl.Execute(w, data)
}
