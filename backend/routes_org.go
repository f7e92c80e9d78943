package backend

// orgRoutes registers the organization's people and integrations: users,
// invitations, AWS integration settings, the APM read endpoints, and the
// list of graph definitions.
func (b *Backend) orgRoutes() {
	b.userRoutes()
	b.awsIntegrationRoutes()
	b.traceRoutes()
	b.handle("GET /api/v0/graph-defs", b.listGraphDefs, route{})
}
