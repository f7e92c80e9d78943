package notify

import (
	"fmt"
	"strings"

	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// metricLabel is what a threshold monitor compares: its metric, or its
// expression.
func (n *Notice) metricLabel() string {
	if n.Monitor == nil {
		return ""
	}
	if n.Monitor.Type == monitor.TypeExpression {
		return n.Monitor.Expression
	}
	return n.Monitor.Metric
}

// threshold returns the threshold a status crossed, if the monitor has
// one for it.
func (n *Notice) threshold(status string) *float64 {
	if n.Monitor == nil {
		return nil
	}
	switch status {
	case "CRITICAL":
		return n.Monitor.Critical
	case "WARNING":
		return n.Monitor.Warning
	}
	return nil
}

// Message is the alert's message as the hosted service words it: for a
// threshold monitor "<metric> <value> <op> <threshold>" (2 decimals, as
// in "loadavg5 2.26 > 1.96"; no threshold once OK), otherwise the
// alert's own message (check output, external probe result).
func (n *Notice) Message() string {
	a := n.Alert
	if a == nil {
		return ""
	}
	if label := n.metricLabel(); label != "" && a.Value != nil {
		msg := fmt.Sprintf("%s %.2f", label, *a.Value)
		if th := n.threshold(n.Event.Status); th != nil {
			msg += fmt.Sprintf(" %s %.2f", n.Monitor.Operator, *th)
		}
		return msg
	}
	return a.Message
}

// Subject is a one-line summary: what happened, to what.
func (n *Notice) Subject() string {
	prefix := ""
	if n.Test {
		prefix = "[test] "
	}
	switch kindOf(n.Event) {
	case store.EventAlert:
		s := fmt.Sprintf("%s[%s] %s is %s", prefix, n.OrgName, n.monitorLabel(), n.Event.Status)
		if n.Host != nil {
			s += " on " + n.Host.Name
		}
		return s
	case store.EventHostRegister:
		return fmt.Sprintf("%s[%s] host %s registered", prefix, n.OrgName, n.hostName())
	case store.EventHostStatus:
		return fmt.Sprintf("%s[%s] host %s is now %s", prefix, n.OrgName, n.hostName(), n.HostEvent.Status)
	case store.EventHostRetire:
		return fmt.Sprintf("%s[%s] host %s retired", prefix, n.OrgName, n.hostName())
	case store.EventMonitor:
		return fmt.Sprintf("%s[%s] monitor %s: %s", prefix, n.OrgName, n.monitorLabel(), n.MonitorEvent.Action)
	case store.EventAlertGroup:
		return fmt.Sprintf("%s[%s] alert group %s is %s", prefix, n.OrgName, n.AlertGroupEvent.Name, n.Event.Status)
	}
	return fmt.Sprintf("%s[%s] %s", prefix, n.OrgName, kindOf(n.Event))
}

func (n *Notice) monitorLabel() string {
	if n.MonitorName != "" {
		return n.MonitorName
	}
	if n.Alert != nil {
		return n.Alert.Type + " monitor"
	}
	return "monitor"
}

func (n *Notice) hostName() string {
	if n.Host != nil {
		return n.Host.Name
	}
	if n.HostEvent != nil {
		return n.HostEvent.HostID
	}
	return ""
}

// Summary is a plain-text account of the event, without links (the
// backend has no web pages to point at): the subject, then one line per
// fact that is known.
func (n *Notice) Summary() string {
	var b strings.Builder
	b.WriteString(n.Subject() + "\n\n")
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%-10s %s\n", k+":", v)
		}
	}
	if a := n.Alert; a != nil {
		line("Status", n.Event.Status)
		if n.Event.PrevStatus != "" && n.Event.PrevStatus != n.Event.Status {
			line("Previous", n.Event.PrevStatus)
		}
		line("Monitor", n.monitorLabel())
		line("Type", a.Type)
		if n.Host != nil {
			line("Host", n.Host.Name+" ("+n.Host.ID+")")
		}
		if n.Service != nil {
			line("Service", n.Service.Name)
		}
		if a.Value != nil {
			line("Value", fmt.Sprintf("%g", *a.Value))
		}
		line("Message", n.Message())
		line("Alert", a.ID)
		if n.Event.PrevStatus != "" && n.Event.PrevStatus == n.Event.Status {
			line("Note", "still open (repeated every notificationInterval)")
		}
	} else if g := n.AlertGroupEvent; g != nil {
		line("Status", n.Event.Status)
		line("Group", g.Name)
		line("Alerts", strings.Join(g.AlertIDs, ", "))
	} else {
		line("Host", n.hostName())
		if n.MonitorEvent != nil {
			line("Monitor", n.monitorLabel()+" ("+n.MonitorEvent.MonitorID+")")
		}
	}
	line("Delivery", n.DeliveryID)
	return b.String()
}
