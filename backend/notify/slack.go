package notify

import (
	"encoding/json"
	"strings"

	"github.com/mkr-dev/mkr/backend/channel"
)

// slackColors are the attachment colours per status (Slack's own "good",
// "warning", "danger", and grey for UNKNOWN).
var slackColors = map[string]string{"OK": "good", "WARNING": "warning", "CRITICAL": "danger", "UNKNOWN": "#999999"}

type slackMessage struct {
	Text        string            `json:"text"`
	Attachments []slackAttachment `json:"attachments"`
}

type slackAttachment struct {
	Fallback string       `json:"fallback"`
	Color    string       `json:"color,omitempty"`
	Title    string       `json:"title"`
	Text     string       `json:"text,omitempty"`
	Fields   []slackField `json:"fields,omitempty"`
	Footer   string       `json:"footer"`
	TS       int64        `json:"ts"`
}

type slackField struct {
	Title string `json:"title"`
	Value string `json:"value"`
	Short bool   `json:"short"`
}

// SlackPayload is the incoming-webhook message for n on channel c: the
// channel's mention for the status (UNKNOWN uses the critical one) before
// the summary line, and an attachment coloured by status.
func SlackPayload(n *Notice, c *channel.Channel) []byte {
	status := ""
	if n.Alert != nil || n.AlertGroupEvent != nil {
		status = n.Event.Status
	}
	text := slackEscape(n.Subject())
	if m := mentionFor(c.Mentions, status); m != "" {
		text = m + " " + text
	}
	att := slackAttachment{Fallback: slackEscape(n.Subject()), Color: slackColors[status], Title: slackEscape(n.Subject()),
		Text: slackEscape(n.Message()), Footer: "mkr", TS: n.Event.CreatedAt}
	field := func(title, value string) {
		if value != "" {
			att.Fields = append(att.Fields, slackField{Title: title, Value: slackEscape(value), Short: true})
		}
	}
	if n.Alert != nil {
		field("Status", status)
		field("Monitor", n.MonitorName)
	}
	if n.Host != nil {
		field("Host", n.Host.Name)
	}
	if n.Service != nil {
		field("Service", n.Service.Name)
	}
	field("Delivery", n.DeliveryID)
	b, _ := json.Marshal(slackMessage{Text: text, Attachments: []slackAttachment{att}})
	return b
}

func mentionFor(m channel.Mentions, status string) string {
	switch status {
	case "OK":
		return m.OK
	case "WARNING":
		return m.Warning
	case "CRITICAL", "UNKNOWN":
		return m.Critical
	}
	return ""
}

// slackEscape escapes the three characters Slack's message format
// reserves, so a name cannot inject a mention or a link.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
