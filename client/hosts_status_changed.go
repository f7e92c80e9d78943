package client

import "encoding/json"

// UnmarshalJSON reads a host as encoding/json would, plus mkr's
// statusChangedAt. That key is read but never written back
// (StatusChangedAt is tagged "-"): output that re-marshals hosts
// (`mkr hosts -v`, `mkr status -v`) stays byte for byte upstream mkr's,
// whose client does not know the key.
func (h *Host) UnmarshalJSON(b []byte) error {
	type plainHost Host // the same fields without this method
	aux := struct {
		*plainHost
		StatusChangedAt int64 `json:"statusChangedAt"`
	}{plainHost: (*plainHost)(h)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	h.StatusChangedAt = aux.StatusChangedAt
	return nil
}
