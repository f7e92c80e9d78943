package backend

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

// maxMetadataBytes is the hosted API's size limit for one namespace.
const maxMetadataBytes = 100 * 1024

func metadataOwner(r *http.Request) store.MetadataOwner {
	return store.MetadataOwner{HostID: r.PathValue("hostId"), Service: r.PathValue("service"), Role: r.PathValue("role")}
}

func checkNamespace(ns string, write bool) error {
	if !client.ValidMetadataNamespace(ns) {
		return badRequest("Invalid namespace %q: use A-Z a-z 0-9 _ -.", ns)
	}
	if write && strings.HasPrefix(ns, "mackerel") {
		return badRequest("Namespaces beginning with \"mackerel\" are reserved.")
	}
	return nil
}

func (b *Backend) getMetadata(w http.ResponseWriter, r *http.Request) error {
	ns := r.PathValue("namespace")
	if err := checkNamespace(ns, false); err != nil {
		return err
	}
	value, updated, err := b.store.GetMetadata(r.Context(), metadataOwner(r), ns)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Last-Modified", time.Unix(updated, 0).UTC().Format(http.TimeFormat))
	w.WriteHeader(http.StatusOK)
	w.Write(value)
	return nil
}

func (b *Backend) putMetadata(w http.ResponseWriter, r *http.Request) error {
	ns := r.PathValue("namespace")
	if err := checkNamespace(ns, true); err != nil {
		return err
	}
	// The size limit applies to the value, not to surrounding blanks, so
	// read under the handler's body cap and measure after trimming.
	body, err := readBody(r)
	if err != nil {
		return err
	}
	value := bytes.TrimSpace(body)
	if len(value) > maxMetadataBytes {
		return errorf(http.StatusRequestEntityTooLarge, "Metadata must be at most %d bytes.", maxMetadataBytes)
	}
	if len(value) == 0 || !json.Valid(value) {
		return badRequest("Metadata must be a JSON value.")
	}
	// Stored and served verbatim, so it must be what strict clients parse.
	if problem := invalidUTF8(value, "metadata"); problem != "" {
		return badRequest("%s.", problem)
	}
	if err := b.store.PutMetadata(r.Context(), metadataOwner(r), ns, value); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, success)
	return nil
}

func (b *Backend) deleteMetadata(w http.ResponseWriter, r *http.Request) error {
	ns := r.PathValue("namespace")
	if err := checkNamespace(ns, false); err != nil {
		return err
	}
	if err := b.store.DeleteMetadata(r.Context(), metadataOwner(r), ns); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, success)
	return nil
}

func (b *Backend) listMetadata(w http.ResponseWriter, r *http.Request) error {
	names, err := b.store.ListMetadata(r.Context(), metadataOwner(r))
	if err != nil {
		return err
	}
	out := make([]map[string]string, len(names))
	for i, n := range names {
		out[i] = map[string]string{"namespace": n}
	}
	writeJSON(w, http.StatusOK, map[string]any{"metadata": out})
	return nil
}
