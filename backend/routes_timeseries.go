package backend

// timeSeriesRoutes registers metrics, graph definitions and annotations.
func (b *Backend) timeSeriesRoutes() {
	hostNF := route{notFound: msgHostNotFound}
	svcNF := route{notFound: "Service not found."}
	b.handle("POST /api/v0/tsdb", b.postHostMetrics, route{notFound: msgHostNotFound, metricBody: true, ingest: true})
	b.handle("GET /api/v0/tsdb/latest", b.latestMetrics, hostNF)
	b.handle("GET /api/v0/hosts/{hostId}/metrics", b.getHostMetrics, hostNF)
	b.handle("POST /api/v0/services/{service}/tsdb", b.postServiceMetrics, route{notFound: "Service not found.", metricBody: true, ingest: true})
	b.handle("GET /api/v0/services/{service}/metrics", b.getServiceMetrics, svcNF)
	b.handle("GET /api/v0/services/{service}/metric-names", b.serviceMetricNames, svcNF)
	b.handle("POST /api/v0/graph-defs/create", b.createGraphDefs, route{})
	b.handle("DELETE /api/v0/graph-defs", b.deleteGraphDef, route{})
	b.handle("DELETE /api/v0/services/{service}/graph-defs/{graphName}", b.deleteServiceGraph, svcNF)

	// Unknown services, roles and annotations are named in the message.
	annNF := route{}
	b.handle("GET /api/v0/graph-annotations", b.listAnnotations, annNF)
	b.handle("POST /api/v0/graph-annotations", b.createAnnotation, annNF)
	b.handle("PUT /api/v0/graph-annotations/{id}", b.updateAnnotation, annNF)
	b.handle("DELETE /api/v0/graph-annotations/{id}", b.deleteAnnotation, annNF)
}
