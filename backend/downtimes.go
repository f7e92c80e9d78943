package backend

// downtimeRoutes registers /api/v0/downtimes.
func (b *Backend) downtimeRoutes() {}
