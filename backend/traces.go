package backend

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// traceRoutes registers the read-only APM endpoints. Nothing sends traces
// to this backend (it has no OTLP receiver), so every valid query answers
// an empty page and every trace is unknown; invalid queries get the same
// 400s as anywhere else, so a client's mistakes show here too.
func (b *Backend) traceRoutes() {
	b.handle("POST /api/v0/traces", b.listTraces, route{})
	b.handle("GET /api/v0/traces/{traceId}", b.getTrace, route{})
	b.handle("GET /api/v0/apm/http-server-stats", b.apmStats("SUM", "AVERAGE", "P95", "ERROR_RATE", "REQUEST_COUNT"), route{})
	b.handle("GET /api/v0/apm/db-query-stats", b.apmStats("SUM", "AVERAGE", "P95", "EXECUTION_COUNT"), route{})
}

// traceIDRe is an OpenTelemetry trace id: 16 bytes in hex.
var traceIDRe = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)

// emptyPage is a page of no results.
var emptyPage = map[string]any{"results": []any{}, "hasNextPage": false}

type traceFilter struct {
	Key      *string `json:"key"`
	Value    *string `json:"value"`
	Operator string  `json:"operator"`
	Type     string  `json:"type"`
}

func (b *Backend) listTraces(w http.ResponseWriter, r *http.Request) error {
	var q struct {
		ServiceName        *string       `json:"serviceName"`
		From               *int64        `json:"from"`
		To                 *int64        `json:"to"`
		TraceID            *string       `json:"traceId"`
		StatusCode         *string       `json:"statusCode"`
		MinLatencyMillis   *int64        `json:"minLatencyMillis"`
		MaxLatencyMillis   *int64        `json:"maxLatencyMillis"`
		Attributes         []traceFilter `json:"attributes"`
		ResourceAttributes []traceFilter `json:"resourceAttributes"`
		Page               *int          `json:"page"`
		PerPage            *int          `json:"perPage"`
		Order              *struct {
			Column    *string `json:"column"`
			Direction *string `json:"direction"`
		} `json:"order"`
	}
	if err := decodeBody(r, &q, false); err != nil {
		return err
	}
	if q.ServiceName == nil || *q.ServiceName == "" {
		return badRequest("serviceName is required.")
	}
	if q.From == nil || q.To == nil {
		return badRequest("from and to are required (epoch seconds).")
	}
	if *q.From > *q.To {
		return badRequest("from must not be after to.")
	}
	if q.TraceID != nil && !traceIDRe.MatchString(*q.TraceID) {
		return badRequest("traceId must be 32 hexadecimal characters, not %q.", *q.TraceID)
	}
	if q.StatusCode != nil && *q.StatusCode != "OK" && *q.StatusCode != "ERROR" {
		return badRequest("statusCode must be OK or ERROR, not %q.", *q.StatusCode)
	}
	if q.MinLatencyMillis != nil && q.MaxLatencyMillis != nil && *q.MinLatencyMillis > *q.MaxLatencyMillis {
		return badRequest("minLatencyMillis must not be more than maxLatencyMillis.")
	}
	for i, f := range q.Attributes {
		if err := checkTraceFilter("attributes["+strconv.Itoa(i)+"]", f); err != nil {
			return err
		}
	}
	for i, f := range q.ResourceAttributes {
		if err := checkTraceFilter("resourceAttributes["+strconv.Itoa(i)+"]", f); err != nil {
			return err
		}
	}
	if err := checkPaging(q.Page, q.PerPage); err != nil {
		return err
	}
	if q.Order != nil {
		if c := q.Order.Column; c != nil && *c != "LATENCY" && *c != "START_AT" {
			return badRequest("order.column must be LATENCY or START_AT, not %q.", *c)
		}
		if d := q.Order.Direction; d != nil && *d != "ASC" && *d != "DESC" {
			return badRequest("order.direction must be ASC or DESC, not %q.", *d)
		}
	}
	writeJSON(w, http.StatusOK, emptyPage)
	return nil
}

func checkTraceFilter(where string, f traceFilter) error {
	if f.Key == nil || *f.Key == "" {
		return badRequest("%s.key is required.", where)
	}
	if f.Value == nil {
		return badRequest("%s.value is required.", where)
	}
	if ops := []string{"EQ", "NEQ", "GT", "GTE", "LT", "LTE", "STARTS_WITH"}; !slices.Contains(ops, f.Operator) {
		return badRequest("%s.operator must be one of %s, not %q.", where, strings.Join(ops, ", "), f.Operator)
	}
	if types := []string{"string", "int", "double", "bool"}; !slices.Contains(types, f.Type) {
		return badRequest("%s.type must be one of %s, not %q.", where, strings.Join(types, ", "), f.Type)
	}
	return nil
}

func checkPaging(page, perPage *int) error {
	if page != nil && *page < 1 {
		return badRequest("page must be 1 or more.")
	}
	if perPage != nil && (*perPage < 1 || *perPage > 100) {
		return badRequest("perPage must be from 1 to 100.")
	}
	return nil
}

// getTrace answers 404 for every well-formed id: no trace is ever stored.
func (b *Backend) getTrace(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("traceId")
	if !traceIDRe.MatchString(id) {
		return badRequest("traceId must be 32 hexadecimal characters, not %q.", id)
	}
	return errorf(http.StatusNotFound, "Trace %s not found: this backend receives no traces.", id)
}

// maxAPMRange is the longest from–to range the APM statistics accept.
const maxAPMRange = 30 * 60

// apmStats validates an APM statistics query (orderColumn one of columns)
// and answers an empty page.
func (b *Backend) apmStats(columns ...string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		if q.Get("serviceName") == "" {
			return badRequest("serviceName is required.")
		}
		from, err := queryInt(q, "from", true)
		if err != nil {
			return err
		}
		to, err := queryInt(q, "to", true)
		if err != nil {
			return err
		}
		if from > to {
			return badRequest("from must not be after to.")
		}
		if to-from > maxAPMRange {
			return badRequest("from and to must be at most 30 minutes apart.")
		}
		if c := q.Get("orderColumn"); c != "" && !slices.Contains(columns, c) {
			return badRequest("orderColumn must be one of %s, not %q.", strings.Join(columns, ", "), c)
		}
		if d := q.Get("orderDirection"); d != "" && d != "ASC" && d != "DESC" {
			return badRequest("orderDirection must be ASC or DESC, not %q.", d)
		}
		page, err := optionalQueryInt(q, "page")
		if err != nil {
			return err
		}
		perPage, err := optionalQueryInt(q, "perPage")
		if err != nil {
			return err
		}
		if err := checkPaging(page, perPage); err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, emptyPage)
		return nil
	}
}

func queryInt(q url.Values, key string, required bool) (int64, error) {
	s := q.Get(key)
	if s == "" {
		if required {
			return 0, badRequest("%s is required (epoch seconds).", key)
		}
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, badRequest("%s must be an integer, not %q.", key, s)
	}
	return n, nil
}

func optionalQueryInt(q url.Values, key string) (*int, error) {
	if !q.Has(key) {
		return nil, nil
	}
	n, err := queryInt(q, key, false)
	if err != nil {
		return nil, err
	}
	v := int(n)
	return &v, nil
}
