package backend

import "net/http"

func (b *Backend) getOrg(w http.ResponseWriter, r *http.Request) error {
	org, err := b.store.GetOrg(r.Context())
	if err != nil {
		return err
	}
	// displayName is null, not absent, when unset, as the hosted API
	// answers; client.Org omits it instead.
	var display *string
	if org.DisplayName != "" {
		display = &org.DisplayName
	}
	writeJSON(w, http.StatusOK, struct {
		Name        string  `json:"name"`
		DisplayName *string `json:"displayName"`
	}{org.Name, display})
	return nil
}
