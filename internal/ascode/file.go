package ascode

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"unicode/utf16"

	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// WriteFile writes doc (a {"<things>": […]} document) with upstream's
// 4-space indent and a trailing newline.
func WriteFile(path string, doc any) error {
	data, err := cmdutil.MarshalUpstream(doc)
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// ReadFile decodes the first JSON value of the file at path into doc.
// Like upstream it accepts a UTF-8 byte-order mark and UTF-16 with one
// (as Windows editors save).
func ReadFile(path string, doc any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.NewDecoder(bytes.NewReader(decodeBOM(data))).Decode(doc); err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	return nil
}

// decodeBOM strips a UTF-8 byte-order mark and turns UTF-16 with a mark
// into UTF-8; anything else is returned as it is.
func decodeBOM(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:]
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return utf16ToUTF8(data[2:], binary.BigEndian)
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return utf16ToUTF8(data[2:], binary.LittleEndian)
	}
	return data
}

func utf16ToUTF8(data []byte, order binary.ByteOrder) []byte {
	units := make([]uint16, len(data)/2)
	for i := range units {
		units[i] = order.Uint16(data[2*i:])
	}
	return []byte(string(utf16.Decode(units)))
}

// UniqueNames reports whether the rules' names are unique; upstream
// switches name matching off when they are not, and logs a warning for
// each repeat. label is "local rules", "remote rules" or the like.
func UniqueNames[R Rule](log *cmdutil.Logger, rules []R, label string) bool {
	unique := true
	seen := map[string]bool{}
	for _, r := range rules {
		if seen[r.Name()] {
			log.Log("Warning: ", "Names of %s are not unique.", label)
			unique = false
		}
		seen[r.Name()] = true
	}
	return unique
}
