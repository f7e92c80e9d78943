package client

import "context"

// ChannelTestResult is what a channel's receiver answered a test
// notification: Success when it accepted it; Status is the HTTP status
// (250 for email handed to the SMTP relay, 0 when nothing answered),
// Response the start of its answer, Error why it failed.
type ChannelTestResult struct {
	Success  bool   `json:"success"`
	Status   int    `json:"status"`
	Response string `json:"response"`
	Error    string `json:"error,omitempty"`
}

// TestChannel calls POST /api/v0/channels/<id>/test (mkr's backend only;
// the hosted API has no such call): the backend sends a test notification
// to the channel now. A receiver that refuses it or cannot be reached is
// a result with Success false, not an error; a channel that cannot be
// sent to from this backend (another type, email without an SMTP relay)
// is an *APIError (400).
func (c *Client) TestChannel(ctx context.Context, id string) (*ChannelTestResult, error) {
	var out ChannelTestResult
	if err := c.post(ctx, pathf("/api/v0/channels/%s/test", id), struct{}{}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
