package client

import (
	"sort"
	"strings"
)

// Host statuses accepted by the API.
const (
	HostStatusWorking     = "working"
	HostStatusStandby     = "standby"
	HostStatusMaintenance = "maintenance"
	HostStatusPoweroff    = "poweroff"
)

// HostStatuses lists every valid host status, in the API's documented order.
var HostStatuses = []string{HostStatusWorking, HostStatusStandby, HostStatusMaintenance, HostStatusPoweroff}

// Host is a host as the API returns it. Field order and omitempty rules
// follow mackerel-client-go so that re-marshalled output matches upstream mkr
// byte for byte.
type Host struct {
	ID               string      `json:"id"`
	Name             string      `json:"name"`
	DisplayName      string      `json:"displayName,omitempty"`
	CustomIdentifier string      `json:"customIdentifier,omitempty"`
	Size             string      `json:"size"`
	Status           string      `json:"status"`
	Memo             string      `json:"memo"`
	Roles            Roles       `json:"roles"`
	IsRetired        bool        `json:"isRetired"`
	CreatedAt        int64       `json:"createdAt"`
	Meta             HostMeta    `json:"meta"`
	Interfaces       []Interface `json:"interfaces"`
	// StatusChangedAt is when the status last changed: mkr's backend sends
	// it (0 when the API does not, as the hosted one does not). Decoded by
	// UnmarshalJSON, never encoded.
	StatusChangedAt int64 `json:"-"`
}

// Roles maps a service name to the host's roles in it.
type Roles map[string][]string

// RoleFullnames returns "service:role" strings, sorted (upstream's order
// came from map iteration and changed from run to run).
func (h *Host) RoleFullnames() []string {
	var out []string
	for svc, roles := range h.Roles {
		for _, r := range roles {
			out = append(out, svc+":"+r)
		}
	}
	sort.Strings(out)
	return out
}

// IPAddresses maps interface names to their first IPv4 address.
func (h *Host) IPAddresses() map[string]string {
	if len(h.Interfaces) == 0 {
		return nil
	}
	out := make(map[string]string, len(h.Interfaces))
	for _, iface := range h.Interfaces {
		out[iface.Name] = iface.IPAddress
	}
	return out
}

// HostMeta is the agent-reported host specification.
type HostMeta struct {
	AgentRevision string      `json:"agent-revision,omitempty"`
	AgentVersion  string      `json:"agent-version,omitempty"`
	AgentName     string      `json:"agent-name,omitempty"`
	BlockDevice   BlockDevice `json:"block_device,omitempty"`
	CPU           CPU         `json:"cpu,omitempty"`
	Filesystem    FileSystem  `json:"filesystem,omitempty"`
	Kernel        Kernel      `json:"kernel,omitempty"`
	Memory        Memory      `json:"memory,omitempty"`
	Cloud         *Cloud      `json:"cloud,omitempty"`
}

// BlockDevice is meta.block_device.
type BlockDevice map[string]map[string]any

// CPU is meta.cpu.
type CPU []map[string]any

// FileSystem is meta.filesystem.
type FileSystem map[string]any

// Kernel is meta.kernel; the API keeps its values as strings.
type Kernel map[string]string

// Memory is meta.memory; values are strings such as "3916782kB".
type Memory map[string]string

// Cloud is meta.cloud.
type Cloud struct {
	Provider string `json:"provider,omitempty"`
	MetaData any    `json:"metadata,omitempty"`
}

// Interface is a network interface of a host.
type Interface struct {
	Name          string   `json:"name,omitempty"`
	IPAddress     string   `json:"ipAddress,omitempty"`
	IPv4Addresses []string `json:"ipv4Addresses,omitempty"`
	IPv6Addresses []string `json:"ipv6Addresses,omitempty"`
	MacAddress    string   `json:"macAddress,omitempty"`
}

// CheckConfig names a check monitor configured on a host.
type CheckConfig struct {
	Name string `json:"name,omitempty"`
	Memo string `json:"memo,omitempty"`
}

// CreateHostParam is the body of POST /api/v0/hosts and PUT /api/v0/hosts/<id>.
// meta, interfaces, roleFullnames and checks are always sent (null when
// unset), as mackerel-client-go does.
type CreateHostParam struct {
	Name             string        `json:"name"`
	DisplayName      string        `json:"displayName,omitempty"`
	Memo             string        `json:"memo,omitempty"`
	Meta             HostMeta      `json:"meta"`
	Interfaces       []Interface   `json:"interfaces"`
	RoleFullnames    []string      `json:"roleFullnames"`
	Checks           []CheckConfig `json:"checks"`
	CustomIdentifier string        `json:"customIdentifier,omitempty"`
}

// UpdateHostParam is the body of PUT /api/v0/hosts/<id>.
type UpdateHostParam CreateHostParam

// FindHostsParam filters GET /api/v0/hosts.
type FindHostsParam struct {
	Service          string
	Roles            []string
	Name             string
	Statuses         []string
	CustomIdentifier string
	// WithoutMeta is for callers that never read Host.Meta: it is left
	// empty, mkr's backend does not send it (HeaderOmitMeta) and meta
	// another server sends is skipped, not decoded.
	WithoutMeta bool
}

// MonitoredStatus is one monitor's state for a host.
type MonitoredStatus struct {
	MonitorID string                 `json:"monitorId"`
	Status    string                 `json:"status"`
	Detail    *MonitoredStatusDetail `json:"detail,omitempty"`
}

// MonitoredStatusDetail is present for check monitors.
type MonitoredStatusDetail struct {
	Type    string `json:"type"`
	Message string `json:"message,omitempty"`
	Memo    string `json:"memo,omitempty"`
}

// SplitRoleFullname splits "service:role"; ok is false for other shapes.
func SplitRoleFullname(s string) (service, role string, ok bool) {
	service, role, ok = strings.Cut(s, ":")
	if !ok {
		return "", "", false
	}
	return strings.TrimSpace(service), strings.TrimSpace(role), true
}
