package client

import "context"

// ListGraphDefs calls GET /api/v0/graph-defs, an endpoint of mkr's backend
// only (the hosted API answers 404): the custom graph definitions, in the
// shape CreateGraphDefs posts.
func (c *Client) ListGraphDefs(ctx context.Context) ([]GraphDefsParam, error) {
	var data struct {
		GraphDefs []GraphDefsParam `json:"graphDefs"`
	}
	if err := c.get(ctx, "/api/v0/graph-defs", nil, &data); err != nil {
		return nil, err
	}
	if data.GraphDefs == nil {
		data.GraphDefs = []GraphDefsParam{}
	}
	return data.GraphDefs, nil
}
