package backend

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"net/http"

	"github.com/mkr-dev/mkr/backend/awsintegration"
	"github.com/mkr-dev/mkr/backend/store"
)

const msgAWSIntegrationNotFound = "AWS integration not found."

// awsIntegrationRoutes registers /api/v0/aws-integrations. The settings are
// kept and validated as the hosted API documents them; this backend never
// calls AWS, so no host or metric ever comes from them.
func (b *Backend) awsIntegrationRoutes() {
	nf := route{notFound: msgAWSIntegrationNotFound}
	b.handle("GET /api/v0/aws-integrations", b.listAWSIntegrations, route{})
	b.handle("POST /api/v0/aws-integrations", b.createAWSIntegration, route{})
	b.handle("GET /api/v0/aws-integrations/{id}", b.getAWSIntegration, nf)
	b.handle("PUT /api/v0/aws-integrations/{id}", b.updateAWSIntegration, nf)
	b.handle("DELETE /api/v0/aws-integrations/{id}", b.deleteAWSIntegration, nf)
	b.handle("POST /api/v0/aws-integrations-external-id", b.createAWSExternalID, route{})
	b.handle("GET /api/v0/aws-integrations-excludable-metrics", b.awsExcludableMetrics, route{})
}

func (b *Backend) listAWSIntegrations(w http.ResponseWriter, r *http.Request) error {
	list, err := b.store.ListAWSIntegrations(r.Context())
	if err != nil {
		return err
	}
	out := make([]json.RawMessage, len(list))
	for i, a := range list {
		out[i] = a.Body
	}
	// The key is snake_case in the hosted API, unlike every other list.
	writeJSON(w, http.StatusOK, map[string]any{"aws_integrations": out})
	return nil
}

func (b *Backend) getAWSIntegration(w http.ResponseWriter, r *http.Request) error {
	a, err := b.store.GetAWSIntegration(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, json.RawMessage(a.Body))
	return nil
}

func (b *Backend) createAWSIntegration(w http.ResponseWriter, r *http.Request) error {
	a, err := b.readAWSIntegration(r, nil)
	if err != nil {
		return err
	}
	a.ID = store.NewID()
	return b.storeAWSIntegration(r.Context(), w, a, b.store.CreateAWSIntegration)
}

func (b *Backend) updateAWSIntegration(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	old, err := b.store.GetAWSIntegration(r.Context(), id)
	if err != nil {
		return err
	}
	prev, err := awsintegration.ParseStored(old.Body)
	if err != nil {
		return err
	}
	a, err := b.readAWSIntegration(r, prev)
	if err != nil {
		return err
	}
	a.ID = id
	return b.storeAWSIntegration(r.Context(), w, a, b.store.UpdateAWSIntegration)
}

// storeAWSIntegration encodes a, writes it with write and answers it; a
// taken name is a 400 naming it.
func (b *Backend) storeAWSIntegration(ctx context.Context, w http.ResponseWriter, a *awsintegration.Integration,
	write func(context.Context, *store.AWSIntegration) error) error {
	body, err := awsintegration.Encode(a)
	if err != nil {
		return err
	}
	err = write(ctx, &store.AWSIntegration{ID: a.ID, Name: a.Name, Body: body})
	if se, ok := store.IsKind(err, store.KindConflict); ok {
		return badRequest("name: %s.", se.Message)
	} else if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, json.RawMessage(body))
	return nil
}

func (b *Backend) deleteAWSIntegration(w http.ResponseWriter, r *http.Request) error {
	a, err := b.store.DeleteAWSIntegration(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, json.RawMessage(a.Body))
	return nil
}

func (b *Backend) readAWSIntegration(r *http.Request, prev *awsintegration.Integration) (*awsintegration.Integration, error) {
	var raw json.RawMessage
	if err := decodeBody(r, &raw, false); err != nil {
		return nil, err
	}
	if problem := invalidUTF8(raw, ""); problem != "" {
		return nil, badRequest("%s.", problem)
	}
	a, err := awsintegration.Decode(raw, prev, func(service, role string) (bool, error) {
		return exists(b.store.GetRole(r.Context(), service, role))
	})
	return a, refused(err)
}

// createAWSExternalID makes an external id for an IAM role's trust policy:
// random, unguessable, in the hosted API's 43-character alphanumeric form.
// Nothing is stored: the id only matters to AWS, which this backend never
// calls.
func (b *Backend) createAWSExternalID(w http.ResponseWriter, r *http.Request) error {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var buf [43]byte
	out := make([]byte, 0, len(buf))
	for len(out) < len(buf) {
		rand.Read(buf[:])
		for _, c := range buf {
			if int(c) < 256-256%len(alphabet) && len(out) < len(buf) {
				out = append(out, alphabet[int(c)%len(alphabet)])
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"externalId": string(out)})
	return nil
}

// awsExcludableMetrics lists, per service, the metrics an integration may
// exclude: the metrics it collects. This backend collects none, so every
// documented service has an empty list.
func (b *Backend) awsExcludableMetrics(w http.ResponseWriter, r *http.Request) error {
	out := make(map[string][]string, len(awsintegration.Services))
	for _, s := range awsintegration.Services {
		out[s] = []string{}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
