package backend

// monitorRoutes registers /api/v0/monitors.
func (b *Backend) monitorRoutes() {}
