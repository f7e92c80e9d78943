package client

import (
	"context"
	"encoding/json"
)

// GetTrace calls GET /api/v0/traces/<traceId> and returns the body, kept
// whole: a span has many optional, nested keys and mkr only prints them.
func (c *Client) GetTrace(ctx context.Context, traceID string) (json.RawMessage, error) {
	var out json.RawMessage
	if err := c.get(ctx, pathf("/api/v0/traces/%s", traceID), nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}
