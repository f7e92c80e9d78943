package promremote

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/promfold"
)

// The labels that address a series, rather than describe it.
const (
	LabelName    = "__name__"
	LabelHostID  = "mackerel_host_id"
	LabelService = "mackerel_service"
	LabelInst    = "instance"
)

// Refusal says why a series was not stored; the names are the keys of the
// counts the receiver answers and logs.
type Refusal string

// Series-level refusals (every sample of the series is refused).
const (
	RefusedNoName         Refusal = "noName"         // no __name__ label
	RefusedUnknownHost    Refusal = "unknownHost"    // mackerel_host_id names no host
	RefusedUnknownService Refusal = "unknownService" // mackerel_service names no service
	RefusedAmbiguous      Refusal = "ambiguousInstance"
	RefusedNoTarget       Refusal = "noTarget" // nothing names a host or a service
	RefusedBadName        Refusal = "invalidName"
	RefusedHistogram      Refusal = "histogram" // native histogram samples
)

// Directory is what mapping needs of the store: hosts and services.
type Directory interface {
	HostExists(ctx context.Context, id string) error
	GetService(ctx context.Context, name string) (*store.Service, error)
	FindHostByCustomIdentifier(ctx context.Context, ci string, caseInsensitive bool) (*store.Host, error)
	ListHosts(ctx context.Context, f store.HostFilter) ([]*store.Host, error)
}

// Mapper maps series to Mackerel metrics by these rules, in order:
//
//  1. mackerel_host_id names a host: a host metric of it;
//  2. mackerel_service names a service: a service metric of it;
//  3. instance names a live host — its custom identifier, or its name, as
//     given or without the port (localhost:9100 → localhost): a host
//     metric of it (several live hosts of that name: refused, as we
//     cannot tell which);
//  4. Fallback, when set (the ?service= of the write URL): a service
//     metric of that service;
//  5. otherwise the series is refused.
//
// The metric name is __name__ and the remaining labels folded as `mkr
// throw --input prometheus` folds them (package promfold), without the
// labels that chose the target (mackerel_host_id, mackerel_service, and
// instance when it named the host); a host metric gets the "custom."
// prefix, as `throw --host` gives it. Lookups are cached for the
// Mapper's life: make one per request.
type Mapper struct {
	Dir      Directory
	Fallback string // a service that exists, or ""

	hosts     map[string]error  // host id → nil or its lookup error
	services  map[string]error  // service name → nil or its lookup error
	instances map[string]string // instance → host id, "" none, "?" several
}

// Map returns the series key of labels, or the refusal. An error is a
// store failure, not a refusal.
func (m *Mapper) Map(ctx context.Context, labels []Label) (store.SeriesKey, Refusal, error) {
	var name, hostID, service, instance string
	rest := make(map[string]string, len(labels))
	for _, l := range labels {
		switch l.Name {
		case LabelName:
			name = l.Value
		case LabelHostID:
			hostID = l.Value
		case LabelService:
			service = l.Value
		default:
			rest[l.Name] = l.Value
		}
	}
	if name == "" {
		return store.SeriesKey{}, RefusedNoName, nil
	}
	var key store.SeriesKey
	switch {
	case hostID != "":
		ok, err := m.hostExists(ctx, hostID)
		if err != nil || !ok {
			return key, RefusedUnknownHost, err
		}
		key = store.HostSeries(hostID, "")
	case service != "":
		ok, err := m.serviceExists(ctx, service)
		if err != nil || !ok {
			return key, RefusedUnknownService, err
		}
		key = store.ServiceSeries(service, "")
	default:
		instance = rest[LabelInst]
		id, err := m.instanceHost(ctx, instance)
		switch {
		case err != nil:
			return key, "", err
		case id == "?":
			return key, RefusedAmbiguous, nil
		case id != "":
			key = store.HostSeries(id, "")
			delete(rest, LabelInst)
		case m.Fallback != "":
			key = store.ServiceSeries(m.Fallback, "")
		default:
			return key, RefusedNoTarget, nil
		}
	}
	key.Name = promfold.Fold(name, rest)
	if key.Kind == "host" && !strings.HasPrefix(key.Name, "custom.") {
		key.Name = "custom." + key.Name
	}
	if client.ValidateMetricName(key.Name) != nil {
		return store.SeriesKey{}, RefusedBadName, nil
	}
	return key, "", nil
}

func (m *Mapper) hostExists(ctx context.Context, id string) (bool, error) {
	if m.hosts == nil {
		m.hosts = map[string]error{}
	}
	err, seen := m.hosts[id]
	if !seen {
		err = m.Dir.HostExists(ctx, id)
		m.hosts[id] = err
	}
	return found(err)
}

func (m *Mapper) serviceExists(ctx context.Context, name string) (bool, error) {
	if m.services == nil {
		m.services = map[string]error{}
	}
	err, seen := m.services[name]
	if !seen {
		_, err = m.Dir.GetService(ctx, name)
		m.services[name] = err
	}
	return found(err)
}

// found turns a lookup's error into "exists", keeping real failures.
func found(err error) (bool, error) {
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// instanceHost returns the id of the live host instance names, "" for
// none and "?" for several.
func (m *Mapper) instanceHost(ctx context.Context, instance string) (string, error) {
	if instance == "" {
		return "", nil
	}
	if id, ok := m.instances[instance]; ok {
		return id, nil
	}
	candidates := []string{instance}
	if h, _, err := net.SplitHostPort(instance); err == nil && h != "" {
		candidates = append(candidates, h)
	}
	id, err := m.lookupInstance(ctx, candidates)
	if err != nil {
		return "", err
	}
	if m.instances == nil {
		m.instances = map[string]string{}
	}
	m.instances[instance] = id
	return id, nil
}

// lookupInstance tries custom identifiers first (they are unique among
// live hosts and are what an operator sets to match), then names.
func (m *Mapper) lookupInstance(ctx context.Context, candidates []string) (string, error) {
	for _, c := range candidates {
		h, err := m.Dir.FindHostByCustomIdentifier(ctx, c, false)
		if err == nil {
			return h.ID, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return "", err
		}
	}
	for _, c := range candidates {
		hosts, err := m.Dir.ListHosts(ctx, store.HostFilter{Name: c})
		if err != nil {
			return "", err
		}
		switch len(hosts) {
		case 0:
			continue
		case 1:
			return hosts[0].ID, nil
		default:
			return "?", nil
		}
	}
	return "", nil
}
