package store


// NotificationGroup is a stored notification group: Body is the canonical
// wire JSON of package notifygroup. IsDefault marks the one default group
// ("group-default"), which exists from the start and cannot be deleted.
type NotificationGroup struct {
	ID        string
	Body      []byte
	IsDefault bool
}

// AlertGroupSetting is a stored alert group setting (Body: canonical
// wire JSON of package notifygroup).
type AlertGroupSetting struct {
	ID   string
	Body []byte
}

// NotificationGroupStore keeps notification groups and alert group
// settings. The helper implementing them documents each method here.
type NotificationGroupStore interface {
}
