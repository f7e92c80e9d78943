package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// HeaderOmitMeta, on GET /api/v0/hosts, asks mkr's backend to send every
// host's meta as {}: an agent's meta is ~28 KB, most of a listing, and
// `mkr hosts` prints it only with -v or --format. Other servers ignore
// the header (an unknown header is harmless where an unknown query
// parameter might not be) and send meta as usual.
const HeaderOmitMeta = "X-Mkr-Omit-Meta"

// decodeHostList decodes {"hosts":[…]} from body token by token, one host
// at a time, with the results json.Unmarshal into struct{ Hosts []*Host }
// would give: other keys are skipped, the key matches case-insensitively,
// a missing or null list is empty, and data after the object is an error.
// withoutMeta skips each host's meta instead of decoding it.
func decodeHostList(body *streamBody, withoutMeta bool) ([]*Host, error) {
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
		if hosts, err = decodeHostArray(dec, body, withoutMeta); err != nil {
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
func decodeHostArray(dec *json.Decoder, body *streamBody, withoutMeta bool) ([]*Host, error) {
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
		if withoutMeta {
			var m hostWithoutMeta
			if err := dec.Decode(&m); err != nil {
				return nil, err
			}
			h = m.Host
		} else if err := dec.Decode(&h); err != nil {
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

// hostWithoutMeta decodes a host as Host.UnmarshalJSON does, but skips
// meta: its Meta field sits above the embedded host's, so it takes the key.
type hostWithoutMeta struct {
	*Host // nil for a null host, as *Host would be
}

func (m *hostWithoutMeta) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	type plainHost Host // the same fields without Host's UnmarshalJSON
	var h Host
	aux := struct {
		*plainHost
		Meta            skippedJSON `json:"meta"`
		StatusChangedAt int64       `json:"statusChangedAt"`
	}{plainHost: (*plainHost)(&h)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	h.StatusChangedAt = aux.StatusChangedAt
	m.Host = &h
	return nil
}

// skippedJSON accepts any JSON value and keeps nothing of it.
type skippedJSON struct{}

func (*skippedJSON) UnmarshalJSON([]byte) error { return nil }
