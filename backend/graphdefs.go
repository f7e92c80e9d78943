package backend

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

var (
	// A custom graph name, and the name of each of its metrics:
	// custom.<segment>… where a segment is a name or a whole-segment
	// wildcard * or #.
	graphNameRe = regexp.MustCompile(`^custom(\.([-a-zA-Z0-9_]+|[*#]))+$`)
	graphUnits  = []string{"float", "integer", "percentage", "seconds", "milliseconds", "bytes", "bytes/sec", "bits/sec", "iops"}
)

func checkGraphName(re *regexp.Regexp, what, name string) error {
	if !re.MatchString(name) || strings.Count(name, "#") > 1 {
		return badRequest("Invalid %s %q: expected custom.<name>[.<name>…] where a part may be * or # (# at most once).", what, name)
	}
	return nil
}

func (b *Backend) createGraphDefs(w http.ResponseWriter, r *http.Request) error {
	var defs []client.GraphDefsParam
	if err := decodeBody(r, &defs, false); err != nil {
		return err
	}
	out := make([]store.GraphDef, 0, len(defs))
	for _, d := range defs {
		if err := checkGraphName(graphNameRe, "graph name", d.Name); err != nil {
			return err
		}
		if d.Unit != "" && !slices.Contains(graphUnits, d.Unit) {
			return badRequest("Invalid unit %q for %s: use one of %s.", d.Unit, d.Name, strings.Join(graphUnits, ", "))
		}
		for _, m := range d.Metrics {
			if err := checkGraphName(graphNameRe, "metric name", m.Name); err != nil {
				return err
			}
			if !strings.HasPrefix(m.Name, d.Name+".") {
				return badRequest("Metric %q does not belong to graph %q.", m.Name, d.Name)
			}
		}
		metrics, err := json.Marshal(d.Metrics)
		if err != nil {
			return err
		}
		out = append(out, store.GraphDef{Name: d.Name, DisplayName: d.DisplayName, Unit: d.Unit, Metrics: metrics})
	}
	if err := b.store.PutGraphDefs(r.Context(), out); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, success)
	return nil
}

func (b *Backend) deleteGraphDef(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Name string `json:"name"`
	}
	if err := decodeBody(r, &body, false); err != nil {
		return err
	}
	if body.Name == "" {
		return badRequest("name is required.")
	}
	if err := b.store.DeleteGraphDef(r.Context(), body.Name); errors.Is(err, store.ErrNotFound) {
		// The hosted API answers 400, not 404, for an unknown definition.
		return badRequest("Graph definition %q not found.", body.Name)
	} else if err != nil {
		return err // a database failure is a 500
	}
	writeJSON(w, http.StatusOK, success)
	return nil
}

// deleteServiceGraph removes the service metrics that make up a graph: the
// metrics whose name without its last part matches the graph name, where a
// * or # part matches any one part.
func (b *Backend) deleteServiceGraph(w http.ResponseWriter, r *http.Request) error {
	svc, graph := r.PathValue("service"), r.PathValue("graphName")
	if _, err := b.store.GetService(r.Context(), svc); err != nil {
		return err
	}
	match := func(metric string) bool {
		i := strings.LastIndexByte(metric, '.')
		return i > 0 && graphMatches(strings.Split(graph, "."), strings.Split(metric[:i], "."))
	}
	n, err := b.store.DeleteServiceMetrics(r.Context(), svc, match)
	if err != nil {
		return err
	}
	if n == 0 {
		return errorf(http.StatusNotFound, "Graph %q not found in service %s.", graph, svc)
	}
	writeJSON(w, http.StatusOK, success)
	return nil
}

func graphMatches(pattern, parts []string) bool {
	if len(pattern) != len(parts) {
		return false
	}
	for i, p := range pattern {
		if p != "*" && p != "#" && p != parts[i] {
			return false
		}
	}
	return true
}
