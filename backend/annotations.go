package backend

import (
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

// Limits of the hosted API.
const (
	maxAnnotationTitle       = 250
	maxAnnotationDescription = 1024
)

// toAnnotationJSON uses the client's type: its omitempty id, title, from,
// to and service never drop anything, because checkAnnotation makes every
// stored annotation have them.
func toAnnotationJSON(a *store.Annotation) client.GraphAnnotation {
	return client.GraphAnnotation{ID: a.ID, Title: a.Title, Description: a.Description, From: a.From, To: a.To, Service: a.Service, Roles: a.Roles}
}

// annotationBody is a POST/PUT body; absent keys are nil.
type annotationBody struct {
	Title       *string   `json:"title"`
	Description *string   `json:"description"`
	From        *int64    `json:"from"`
	To          *int64    `json:"to"`
	Service     *string   `json:"service"`
	Roles       *[]string `json:"roles"`
}

func checkAnnotation(a *store.Annotation) error {
	switch {
	case a.Title == "":
		return badRequest("title is required.")
	case utf8.RuneCountInString(a.Title) > maxAnnotationTitle:
		return badRequest("title must be at most %d characters.", maxAnnotationTitle)
	case utf8.RuneCountInString(a.Description) > maxAnnotationDescription:
		return badRequest("description must be at most %d characters.", maxAnnotationDescription)
	case a.Service == "":
		return badRequest("service is required.")
	case a.From <= 0 || a.To <= 0:
		return badRequest("from and to are required epoch seconds.")
	case a.From > a.To:
		return badRequest("from must not be after to.")
	}
	for _, r := range a.Roles {
		if !client.ValidServiceName(r) {
			return badRequest("Invalid role name %q.", r)
		}
	}
	return nil
}

func (b *Backend) createAnnotation(w http.ResponseWriter, r *http.Request) error {
	var body annotationBody
	if err := decodeBody(r, &body, false); err != nil {
		return err
	}
	a := store.Annotation{}
	applyAnnotationBody(&a, body)
	if err := checkAnnotation(&a); err != nil {
		return err
	}
	created, err := b.store.CreateAnnotation(r.Context(), a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAnnotationJSON(created))
	return nil
}

func applyAnnotationBody(a *store.Annotation, body annotationBody) {
	if body.Title != nil {
		a.Title = *body.Title
	}
	if body.Description != nil {
		a.Description = *body.Description
	}
	if body.From != nil {
		a.From = *body.From
	}
	if body.To != nil {
		a.To = *body.To
	}
	if body.Service != nil {
		a.Service = *body.Service
	}
	if body.Roles != nil {
		a.Roles = *body.Roles
	}
}

func (b *Backend) updateAnnotation(w http.ResponseWriter, r *http.Request) error {
	var body annotationBody
	if err := decodeBody(r, &body, false); err != nil {
		return err
	}
	// Empty strings and zero times mean "not given": mackerel-client-go
	// omits them, and upstream mkr sends only what the user set.
	changes := store.AnnotationChanges{Roles: body.Roles}
	if body.Title != nil && *body.Title != "" {
		changes.Title = body.Title
	}
	if body.Description != nil && *body.Description != "" {
		changes.Description = body.Description
	}
	if body.Service != nil && *body.Service != "" {
		changes.Service = body.Service
	}
	if body.From != nil && *body.From != 0 {
		changes.From = body.From
	}
	if body.To != nil && *body.To != 0 {
		changes.To = body.To
	}
	a, err := b.store.UpdateAnnotation(r.Context(), r.PathValue("id"), changes, checkAnnotation)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAnnotationJSON(a))
	return nil
}

func (b *Backend) deleteAnnotation(w http.ResponseWriter, r *http.Request) error {
	a, err := b.store.DeleteAnnotation(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAnnotationJSON(a))
	return nil
}

func (b *Backend) listAnnotations(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	svc := q.Get("service")
	if svc == "" || q.Get("from") == "" || q.Get("to") == "" {
		return badRequest("service, from and to are required.")
	}
	from, err1 := strconv.ParseInt(q.Get("from"), 10, 64)
	to, err2 := strconv.ParseInt(q.Get("to"), 10, 64)
	if err1 != nil || err2 != nil {
		return badRequest("from and to must be epoch seconds.")
	}
	if from > to {
		return badRequest("from must not be after to.")
	}
	list, err := b.store.ListAnnotations(r.Context(), svc, from, to)
	if err != nil {
		return err
	}
	out := make([]client.GraphAnnotation, len(list))
	for i, a := range list {
		out[i] = toAnnotationJSON(a)
	}
	writeJSON(w, http.StatusOK, map[string]any{"graphAnnotations": out})
	return nil
}
