package cmdutil

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// GenericTable is the table view of a command that has no table of its own,
// such as a create or delete printing the object it wrote: `--output table`
// is then honoured instead of failing after the write. An object becomes
// FIELD/VALUE rows, a list of objects one row each under the union of
// their fields, anything else VALUE rows. Nested values are compact JSON.
func GenericTable(v any) (*Table, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimSpace(data)
	switch {
	case len(data) > 0 && data[0] == '{':
		obj, err := decodeOrderedObject(data)
		if err != nil {
			return nil, err
		}
		t := &Table{Header: []string{"FIELD", "VALUE"}}
		for _, f := range obj {
			t.Rows = append(t.Rows, []string{f.key, cellText(f.value)})
		}
		return t, nil
	case len(data) > 0 && data[0] == '[':
		var items []json.RawMessage
		if err := json.Unmarshal(data, &items); err != nil {
			return nil, err
		}
		return listTable(items)
	default:
		return &Table{Header: []string{"VALUE"}, Rows: [][]string{{cellText(data)}}}, nil
	}
}

func listTable(items []json.RawMessage) (*Table, error) {
	allObjects := len(items) > 0
	for _, it := range items {
		if t := bytes.TrimSpace(it); len(t) == 0 || t[0] != '{' {
			allObjects = false
		}
	}
	if !allObjects {
		t := &Table{Header: []string{"VALUE"}}
		for _, it := range items {
			t.Rows = append(t.Rows, []string{cellText(it)})
		}
		return t, nil
	}
	var columns []string
	index := map[string]int{}
	var rows []map[string]string
	for _, it := range items {
		obj, err := decodeOrderedObject(it)
		if err != nil {
			return nil, err
		}
		row := map[string]string{}
		for _, f := range obj {
			if _, ok := index[f.key]; !ok {
				index[f.key] = len(columns)
				columns = append(columns, f.key)
			}
			row[f.key] = cellText(f.value)
		}
		rows = append(rows, row)
	}
	t := &Table{Header: columns}
	for _, r := range rows {
		cells := make([]string, len(columns))
		for i, c := range columns {
			cells[i] = r[c]
		}
		t.Rows = append(t.Rows, cells)
	}
	return t, nil
}

type jsonField struct {
	key   string
	value json.RawMessage
}

// decodeOrderedObject keeps the fields in the order they were written (the
// order of the API's struct fields), which a map would lose.
func decodeOrderedObject(data []byte) ([]jsonField, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // {
		return nil, err
	}
	var fields []jsonField
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("unexpected JSON token %v", tok)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		fields = append(fields, jsonField{key, raw})
	}
	return fields, nil
}

// cellText shows a string without its quotes, null as nothing, and any
// other value as its compact JSON.
func cellText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if bytes.Equal(raw, []byte("null")) {
		return ""
	}
	var s string
	if len(raw) > 0 && raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
		return s
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) == nil {
		return buf.String()
	}
	return string(raw)
}
