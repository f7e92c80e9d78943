package backend

// checkRoutes registers check monitoring and alerts.
func (b *Backend) checkRoutes() {
	b.handle("POST /api/v0/monitoring/checks/report", b.postCheckReports, route{notFound: msgHostNotFound})
	b.handle("GET /api/v0/monitoring/checks", b.listCheckMonitors, route{})
	b.handle("GET /api/v0/monitoring/checks/{id}", b.getCheckMonitor, route{notFound: "Check monitor not found."})

	alertNF := route{notFound: "Alert not found."}
	b.handle("GET /api/v0/alerts", b.catchingUp(b.listAlerts), alertNF)
	b.handle("GET /api/v0/alerts/{id}", b.catchingUp(b.getAlert), alertNF)
	b.handle("PUT /api/v0/alerts/{id}", b.updateAlert, alertNF)
	b.handle("POST /api/v0/alerts/{id}/close", b.closeAlert, alertNF)
	b.handle("GET /api/v0/alerts/{id}/logs", b.catchingUp(b.alertLogs), alertNF)
}
