package client

import "context"

// Org is the organization an API key belongs to.
type Org struct {
	Name        string `json:"name"`
	DisplayName string `json:"displayName,omitempty"`
}

// GetOrg calls GET /api/v0/org.
func (c *Client) GetOrg(ctx context.Context) (*Org, error) {
	var org Org
	if err := c.get(ctx, "/api/v0/org", nil, &org); err != nil {
		return nil, err
	}
	return &org, nil
}
