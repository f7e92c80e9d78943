package client

import (
	"context"
	"encoding/json"
)

// AWSIntegration is an AWS integration setting as mackerel-client-go
// models it (its key order, for upstream's output).
type AWSIntegration struct {
	ID           string                            `json:"id"`
	Name         string                            `json:"name"`
	Memo         string                            `json:"memo"`
	Key          string                            `json:"key,omitempty"`
	RoleArn      string                            `json:"roleArn,omitempty"`
	ExternalID   string                            `json:"externalId,omitempty"`
	Region       string                            `json:"region"`
	IncludedTags string                            `json:"includedTags"`
	ExcludedTags string                            `json:"excludedTags"`
	Services     map[string]*AWSIntegrationService `json:"services"`
}

// AWSIntegrationService is one AWS service's setting; upstream prints both
// metric lists, null when unset.
type AWSIntegrationService struct {
	Enable              bool     `json:"enable"`
	Role                *string  `json:"role"`
	IncludedMetrics     []string `json:"includedMetrics"`
	ExcludedMetrics     []string `json:"excludedMetrics"`
	RetireAutomatically bool     `json:"retireAutomatically,omitempty"`
}

// FindAWSIntegrations calls GET /api/v0/aws-integrations (whose list key is
// snake_case).
func (c *Client) FindAWSIntegrations(ctx context.Context) ([]*AWSIntegration, error) {
	var data struct {
		AWSIntegrations []*AWSIntegration `json:"aws_integrations"`
	}
	if err := c.get(ctx, "/api/v0/aws-integrations", nil, &data); err != nil {
		return nil, err
	}
	if data.AWSIntegrations == nil {
		data.AWSIntegrations = []*AWSIntegration{}
	}
	return data.AWSIntegrations, nil
}

// FindAWSIntegrationsRaw calls GET /api/v0/aws-integrations and returns each
// setting as the server sent it, every key kept.
func (c *Client) FindAWSIntegrationsRaw(ctx context.Context) ([]json.RawMessage, error) {
	var data struct {
		AWSIntegrations []json.RawMessage `json:"aws_integrations"`
	}
	if err := c.get(ctx, "/api/v0/aws-integrations", nil, &data); err != nil {
		return nil, err
	}
	if data.AWSIntegrations == nil {
		data.AWSIntegrations = []json.RawMessage{}
	}
	return data.AWSIntegrations, nil
}
