package monitor

// Merge applies an update (the decoded PUT body) to the stored definition
// cur and returns the new definition, normalized, for Validate. PUT
// replaces the whole definition, as on create: scopes, isMute and every
// other key left out go back to their defaults. The exceptions are the
// API's: a connectivity monitor's alertStatusOnGone and an external
// monitor's headers are kept when omitted (or null); "headers": [] clears
// them. The type cannot change: an update naming another type is an
// *Error, one naming none keeps the current type.
func Merge(cur, upd *Monitor) (*Monitor, error) {
	next := *upd
	switch {
	case next.Type == "":
		next.Type = cur.Type
	case next.Type != cur.Type:
		return nil, errorf("type cannot be changed (from %s to %s): delete the monitor and create a new one.", cur.Type, next.Type)
	}
	next.ID = cur.ID
	if next.Type == TypeConnectivity && next.AlertStatusOnGone == "" {
		next.AlertStatusOnGone = cur.AlertStatusOnGone
	}
	if next.Type == TypeExternal && next.Headers == nil {
		next.Headers = cur.Headers
	}
	next.Normalize()
	return &next, nil
}
