package store

import "context"

// AWSIntegration is a stored AWS integration setting. Body is the
// canonical wire JSON package awsintegration produces (it carries ID and
// Name), kept verbatim; Name is also kept apart, for its uniqueness.
type AWSIntegration struct {
	ID   string
	Name string
	Body []byte
}

// AWSIntegrationStore keeps AWS integration settings.
type AWSIntegrationStore interface {
	// CreateAWSIntegration stores a; the caller picks a.ID (NewID).
	// KindConflict when another setting has a.Name.
	CreateAWSIntegration(ctx context.Context, a *AWSIntegration) error
	// GetAWSIntegration returns one setting (KindNotFound when none).
	GetAWSIntegration(ctx context.Context, id string) (*AWSIntegration, error)
	// ListAWSIntegrations returns every setting in creation order.
	ListAWSIntegrations(ctx context.Context) ([]*AWSIntegration, error)
	// UpdateAWSIntegration replaces the setting a.ID (KindNotFound when
	// none, KindConflict when another setting has a.Name).
	UpdateAWSIntegration(ctx context.Context, a *AWSIntegration) error
	// DeleteAWSIntegration removes a setting and returns it as it was
	// (KindNotFound when none).
	DeleteAWSIntegration(ctx context.Context, id string) (*AWSIntegration, error)
}
