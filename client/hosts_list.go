package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// decodeHostList decodes {"hosts":[…]} from body token by token, one host
// at a time, with the results json.Unmarshal into struct{ Hosts []*Host }
// would give: other keys are skipped, the key matches case-insensitively,
// a missing or null list is empty, and data after the object is an error.
func decodeHostList(body *streamBody) ([]*Host, error) {
	dec := json.NewDecoder(body)
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	hosts := []*Host{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		body.mark("value", dec.InputOffset())
		if key, _ := tok.(string); !strings.EqualFold(key, "hosts") {
			var skipped json.RawMessage
			if err := dec.Decode(&skipped); err != nil {
				return nil, err
			}
			continue
		}
		if hosts, err = decodeHostArray(dec, body); err != nil {
			return nil, err
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = errors.New("unexpected data after the top-level object")
		}
		return nil, err
	}
	return hosts, nil
}

// decodeHostArray decodes the value of "hosts": a list or null.
func decodeHostArray(dec *json.Decoder, body *streamBody) ([]*Host, error) {
	hosts := []*Host{}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if tok == nil {
		return hosts, nil
	}
	if tok != json.Delim('[') {
		return nil, fmt.Errorf("hosts is %v, not a list", tok)
	}
	for dec.More() {
		body.mark("host", dec.InputOffset())
		var h *Host
		if err := dec.Decode(&h); err != nil {
			return nil, err
		}
		hosts = append(hosts, h)
	}
	return hosts, expectDelim(dec, ']')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != want {
		return fmt.Errorf("found %v where %v was expected", tok, want)
	}
	return nil
}
