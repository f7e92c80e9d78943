package client

// WithoutRetries returns a client that shares c's connections and settings
// but makes one attempt per call: for callers that run a retry loop of
// their own (throw --retry), so that retries never nest.
func (c *Client) WithoutRetries() *Client {
	d := *c
	d.retry.MaxRetries = 0
	return &d
}
