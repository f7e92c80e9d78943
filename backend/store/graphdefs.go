package store

import "context"

// GraphDef is a custom graph definition. Metrics is a JSON array kept
// verbatim.
type GraphDef struct {
	Name        string
	DisplayName string
	Unit        string
	Metrics     []byte
}

// GraphDefStore keeps custom graph definitions.
type GraphDefStore interface {
	// PutGraphDefs creates or replaces definitions by name, all or none.
	PutGraphDefs(ctx context.Context, defs []GraphDef) error
	// DeleteGraphDef removes a definition; KindNotFound when there is none.
	DeleteGraphDef(ctx context.Context, name string) error
	// ListGraphDefs returns every definition by name.
	ListGraphDefs(ctx context.Context) ([]GraphDef, error)
}
