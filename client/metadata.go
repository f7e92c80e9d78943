package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// MetadataTarget addresses the owner of a metadata namespace: a host, a
// service, or a role within a service.
type MetadataTarget struct {
	HostID  string
	Service string
	Role    string
}

// base returns the escaped metadata collection path of the target.
func (t MetadataTarget) base() (string, error) {
	switch {
	case t.HostID != "" && t.Service == "" && t.Role == "":
		return pathf("/api/v0/hosts/%s/metadata", t.HostID), nil
	case t.HostID == "" && t.Service != "" && t.Role == "":
		return pathf("/api/v0/services/%s/metadata", t.Service), nil
	case t.HostID == "" && t.Service != "" && t.Role != "":
		return pathf("/api/v0/services/%s/roles/%s/metadata", t.Service, t.Role), nil
	}
	return "", fmt.Errorf("metadata target needs exactly a host, a service, or a service and a role")
}

// Metadata is a namespace's stored JSON value and when it last changed.
type Metadata struct {
	Value        json.RawMessage
	LastModified time.Time
}

// GetMetadata calls GET …/metadata/<namespace>.
func (c *Client) GetMetadata(ctx context.Context, t MetadataTarget, namespace string) (*Metadata, error) {
	base, err := t.base()
	if err != nil {
		return nil, err
	}
	resp, err := c.do(ctx, &request{method: http.MethodGet, path: base + pathf("/%s", namespace)})
	if err != nil {
		return nil, err
	}
	md := &Metadata{Value: json.RawMessage(resp.body)}
	if lm := resp.header.Get("Last-Modified"); lm != "" {
		if t, err := http.ParseTime(lm); err == nil {
			md.LastModified = t
		}
	}
	return md, nil
}

// PutMetadata calls PUT …/metadata/<namespace> with any JSON value.
func (c *Client) PutMetadata(ctx context.Context, t MetadataTarget, namespace string, value json.RawMessage) error {
	base, err := t.base()
	if err != nil {
		return err
	}
	if !json.Valid(value) {
		return fmt.Errorf("metadata value is not valid JSON")
	}
	return c.call(ctx, &request{method: http.MethodPut, path: base + pathf("/%s", namespace), raw: value}, nil)
}

// DeleteMetadata calls DELETE …/metadata/<namespace>.
func (c *Client) DeleteMetadata(ctx context.Context, t MetadataTarget, namespace string) error {
	base, err := t.base()
	if err != nil {
		return err
	}
	return c.delete(ctx, base+pathf("/%s", namespace), nil, nil)
}

// ListMetadataNamespaces calls GET …/metadata.
func (c *Client) ListMetadataNamespaces(ctx context.Context, t MetadataTarget) ([]string, error) {
	base, err := t.base()
	if err != nil {
		return nil, err
	}
	var data struct {
		Metadata []struct {
			Namespace string `json:"namespace"`
		} `json:"metadata"`
	}
	if err := c.get(ctx, base, nil, &data); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(data.Metadata))
	for _, m := range data.Metadata {
		out = append(out, m.Namespace)
	}
	return out, nil
}
