package host

import (
	"strings"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// hostView is upstream mkr's default (non-verbose) host JSON.
type hostView struct {
	ID            string            `json:"id,omitempty"`
	Name          string            `json:"name,omitempty"`
	DisplayName   string            `json:"displayName,omitempty"`
	Status        string            `json:"status,omitempty"`
	Memo          string            `json:"memo,omitempty"`
	RoleFullnames []string          `json:"roleFullnames,omitempty"`
	IsRetired     bool              `json:"isRetired"` // present even when false
	CreatedAt     string            `json:"createdAt,omitempty"`
	IPAddresses   map[string]string `json:"ipAddresses,omitempty"`
}

func newHostView(h *client.Host, loc *time.Location) hostView {
	return hostView{
		ID:            h.ID,
		Name:          h.Name,
		DisplayName:   h.DisplayName,
		Status:        h.Status,
		RoleFullnames: h.RoleFullnames(),
		IsRetired:     h.IsRetired,
		CreatedAt:     cmdutil.ISO8601(time.Unix(h.CreatedAt, 0).In(loc)),
		IPAddresses:   h.IPAddresses(),
	}
}

func hostViews(hosts []*client.Host, loc *time.Location) []hostView {
	out := make([]hostView, len(hosts))
	for i, h := range hosts {
		out[i] = newHostView(h, loc)
	}
	return out
}

func hostsTable(hosts []*client.Host, loc *time.Location) *cmdutil.Table {
	t := &cmdutil.Table{Header: []string{"id", "name", "status", "roles", "ip addresses", "created at"}}
	for _, h := range hosts {
		name := h.Name
		if h.DisplayName != "" {
			name += " (" + h.DisplayName + ")"
		}
		var ips []string
		for _, iface := range h.Interfaces {
			if iface.IPAddress != "" {
				ips = append(ips, iface.IPAddress)
			}
		}
		t.Rows = append(t.Rows, []string{
			h.ID, name, h.Status, strings.Join(h.RoleFullnames(), ","), strings.Join(ips, ","),
			time.Unix(h.CreatedAt, 0).In(loc).Format("2006-01-02 15:04:05"),
		})
	}
	return t
}
