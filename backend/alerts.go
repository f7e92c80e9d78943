package backend

import (
	"net/http"
	"strings"

	"github.com/mkr-dev/mkr/backend/store"
)

// maxAlertMemo is the hosted API's limit (80 KB → 413).
const maxAlertMemo = 80 * 1024

// alertJSON is not client.Alert: the API sends id, status and openedAt
// always and value when it is 0, which the client's omitempty tags drop.
type alertJSON struct {
	ID        string   `json:"id"`
	Status    string   `json:"status"`
	MonitorID string   `json:"monitorId"`
	Type      string   `json:"type"`
	HostID    string   `json:"hostId,omitempty"`
	Value     *float64 `json:"value,omitempty"`
	Message   string   `json:"message,omitempty"`
	Reason    string   `json:"reason,omitempty"`
	OpenedAt  int64    `json:"openedAt"`
	ClosedAt  int64    `json:"closedAt,omitempty"`
	Memo      string   `json:"memo,omitempty"`
}

func toAlertJSON(a *store.Alert) alertJSON {
	return alertJSON{ID: a.ID, Status: a.Status, MonitorID: a.MonitorID, Type: a.Type, HostID: a.HostID, Value: a.Value,
		Message: a.Message, Reason: a.Reason, OpenedAt: a.OpenedAt, ClosedAt: a.ClosedAt, Memo: a.Memo}
}

func (b *Backend) listAlerts(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	// mkr sends an empty nextId on the first page: treat it as absent.
	alerts, next, err := b.store.ListAlerts(r.Context(), q.Get("withClosed") == "true", q.Get("nextId"), limit)
	if err != nil {
		return err
	}
	out := make([]alertJSON, len(alerts))
	for i, a := range alerts {
		out[i] = toAlertJSON(a)
	}
	writePage(w, "alerts", out, next)
	return nil
}

func (b *Backend) getAlert(w http.ResponseWriter, r *http.Request) error {
	a, err := b.store.GetAlert(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAlertJSON(a))
	return nil
}

func (b *Backend) closeAlert(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Reason *string `json:"reason"`
	}
	if err := decodeBody(r, &body, false); err != nil {
		return err
	}
	if body.Reason == nil {
		return badRequest("reason is required.")
	}
	a, err := b.engine.CloseAlert(r.Context(), r.PathValue("id"), *body.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAlertJSON(a))
	return nil
}

func (b *Backend) updateAlert(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Memo *string `json:"memo"`
	}
	if err := decodeBody(r, &body, false); err != nil {
		return err
	}
	if body.Memo == nil {
		return badRequest("memo is required.")
	}
	if len(*body.Memo) > maxAlertMemo {
		return errorf(http.StatusRequestEntityTooLarge, "memo must be at most %d bytes.", maxAlertMemo)
	}
	id := r.PathValue("id")
	if err := b.store.UpdateAlertMemo(r.Context(), id, *body.Memo); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": id, "memo": *body.Memo})
	return nil
}

// alertLogJSON is not client.AlertLog: the API sends "statusDetail": null
// for non-check entries, which the client's type omits.
type alertLogJSON struct {
	ID           string   `json:"id"`
	CreatedAt    int64    `json:"createdAt"`
	Status       string   `json:"status"`
	Trigger      string   `json:"trigger"`
	MonitorID    *string  `json:"monitorId"`
	TargetValue  *float64 `json:"targetValue"`
	StatusDetail any      `json:"statusDetail"`
}

func (b *Backend) alertLogs(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	logs, next, err := b.store.AlertLogs(r.Context(), r.PathValue("id"), r.URL.Query().Get("nextId"), limit)
	if err != nil {
		return err
	}
	out := make([]alertLogJSON, len(logs))
	for i, l := range logs {
		out[i] = alertLogJSON{ID: l.ID, CreatedAt: l.CreatedAt, Status: l.Status, Trigger: l.Trigger, TargetValue: l.TargetValue}
		if l.MonitorID != "" {
			out[i].MonitorID = &l.MonitorID
		}
		if strings.EqualFold(l.DetailType, "check") {
			out[i].StatusDetail = map[string]any{"type": "check", "detail": map[string]string{"message": l.Message, "memo": l.Memo}}
		}
	}
	writePage(w, "logs", out, next)
	return nil
}
