package store

import "context"

// Annotation is a graph annotation of a service (and optionally roles).
type Annotation struct {
	ID          string
	Service     string
	Title       string
	Description string
	From        int64
	To          int64
	Roles       []string
}

// AnnotationChanges is a partial update: nil fields are kept.
type AnnotationChanges struct {
	Service     *string
	Title       *string
	Description *string
	From        *int64
	To          *int64
	Roles       *[]string
}

// AnnotationStore keeps graph annotations. Their service and roles must
// exist (KindNotFound).
type AnnotationStore interface {
	// CreateAnnotation stores a new annotation and returns it with its id.
	CreateAnnotation(ctx context.Context, a Annotation) (*Annotation, error)
	// UpdateAnnotation applies c and returns the annotation as stored;
	// check validates the merged result before anything is written.
	UpdateAnnotation(ctx context.Context, id string, c AnnotationChanges, check func(*Annotation) error) (*Annotation, error)
	// DeleteAnnotation removes an annotation and returns it as it was.
	DeleteAnnotation(ctx context.Context, id string) (*Annotation, error)
	// ListAnnotations returns the service's annotations whose [from, to]
	// interval intersects the window, by start time.
	ListAnnotations(ctx context.Context, service string, from, to int64) ([]*Annotation, error)
}
