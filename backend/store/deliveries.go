package store

// DeliveryStore keeps notification deliveries (package notify). The
// helper implementing them documents each method here.
type DeliveryStore interface {
}
