// Package awsintegration is the model of AWS integration settings
// (/api/v0/aws-integrations): decoding a create or update body,
// validating it, and the canonical wire JSON the store keeps. The
// embedded backend keeps the settings and never calls AWS, so a secret
// access key is checked for presence and then dropped, never stored.
package awsintegration

import (
	"github.com/mkr-dev/mkr/backend/internal/invalid"

	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Services are the documented service IDs, the keys of "services".
var Services = []string{"EC2", "ELB", "ALB", "NLB", "RDS", "Redshift", "ElastiCache", "SQS", "Lambda",
	"DynamoDB", "CloudFront", "APIGateway", "Kinesis", "S3", "ES", "ECSCluster", "SES", "States", "EFS",
	"Firehose", "Batch", "WAF", "Billing", "Route53", "Connect", "DocDB", "CodeBuild", "Athena"}

// retiringServices may set retireAutomatically: their hosts come and go.
var retiringServices = []string{"EC2", "RDS", "ElastiCache"}

var (
	regionRe  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	roleArnRe = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}$`)
	metricRe  = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)
	tagRe     = regexp.MustCompile(`^[^,:]+:[^,]*$`)
)

// Error is a broken rule (see package invalid); Message names the key and
// says what to fix.
type Error = invalid.Error

func fail(format string, args ...any) error { return invalid.Errorf(format, args...) }

// Service is one service's setting. Exactly one of IncludedMetrics and
// ExcludedMetrics is set (an empty exclusion list when the body gave
// neither).
type Service struct {
	Enable              bool     `json:"enable"`
	Role                *string  `json:"role"`
	IncludedMetrics     []string `json:"includedMetrics,omitzero"`
	ExcludedMetrics     []string `json:"excludedMetrics,omitzero"`
	RetireAutomatically *bool    `json:"retireAutomatically,omitempty"`
}

// Integration is a setting as the API shows it, in mackerel-client-go
// v0.46.0's key order; key, roleArn and externalId are null when unset.
type Integration struct {
	ID           string              `json:"id"`
	Name         string              `json:"name"`
	Memo         string              `json:"memo"`
	Key          *string             `json:"key"`
	RoleArn      *string             `json:"roleArn"`
	ExternalID   *string             `json:"externalId"`
	Region       string              `json:"region"`
	IncludedTags string              `json:"includedTags"`
	ExcludedTags string              `json:"excludedTags"`
	Services     map[string]*Service `json:"services"`
}

// input is a request body; pointers tell absent or null from empty.
type input struct {
	Name         *string                     `json:"name"`
	Memo         *string                     `json:"memo"`
	Key          *string                     `json:"key"`
	SecretKey    *string                     `json:"secretKey"`
	RoleArn      *string                     `json:"roleArn"`
	ExternalID   *string                     `json:"externalId"`
	Region       *string                     `json:"region"`
	IncludedTags *string                     `json:"includedTags"`
	ExcludedTags *string                     `json:"excludedTags"`
	Services     map[string]*json.RawMessage `json:"services"`
}

type serviceInput struct {
	Enable              *bool     `json:"enable"`
	Role                *string   `json:"role"`
	IncludedMetrics     *[]string `json:"includedMetrics"`
	ExcludedMetrics     *[]string `json:"excludedMetrics"`
	RetireAutomatically *bool     `json:"retireAutomatically"`
}

// RoleExists answers whether "service: role" names a role.
type RoleExists func(service, role string) (bool, error)

// Decode reads a create (prev nil) or update body into a setting to store,
// validated. On update, credentials the body leaves out (or sends as null)
// stay as prev had them; a body that sends any of them replaces the pair.
func Decode(raw []byte, prev *Integration, roleExists RoleExists) (*Integration, error) {
	var in input
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&in); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, fail("%s must not be %s.", te.Field, te.Value)
		}
		return nil, fail("The body must be a JSON object.")
	}
	out := &Integration{Services: map[string]*Service{}}
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		return nil, fail("name is required.")
	}
	out.Name = *in.Name
	if utf8.RuneCountInString(out.Name) > 255 {
		return nil, fail("name must be at most 255 characters.")
	}
	if in.Memo != nil {
		out.Memo = *in.Memo
	}
	if in.Region == nil || *in.Region == "" {
		return nil, fail("region is required.")
	}
	if !regionRe.MatchString(*in.Region) {
		return nil, fail("region %q is not an AWS region such as ap-northeast-1.", *in.Region)
	}
	out.Region = *in.Region
	for _, t := range []struct {
		key string
		v   *string
		to  *string
	}{{"includedTags", in.IncludedTags, &out.IncludedTags}, {"excludedTags", in.ExcludedTags, &out.ExcludedTags}} {
		if t.v == nil || *t.v == "" {
			continue
		}
		for _, tag := range strings.Split(*t.v, ",") {
			if !tagRe.MatchString(tag) {
				return nil, fail("%s must be comma-separated key:value pairs, not %q.", t.key, *t.v)
			}
		}
		*t.to = *t.v
	}
	if err := credentials(&in, prev, out); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(in.Services))
	for name := range in.Services {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		s, err := service(name, in.Services[name], roleExists)
		if err != nil {
			return nil, err
		}
		out.Services[name] = s
	}
	return out, nil
}

func set(p *string) bool { return p != nil && *p != "" }

// credentials picks the authentication: an access key (key and secretKey)
// or an IAM role (roleArn and externalId), never both.
func credentials(in *input, prev *Integration, out *Integration) error {
	given := set(in.Key) || set(in.SecretKey) || set(in.RoleArn) || set(in.ExternalID)
	if !given && prev != nil {
		out.Key, out.RoleArn, out.ExternalID = prev.Key, prev.RoleArn, prev.ExternalID
		return nil
	}
	byKey := set(in.Key) || set(in.SecretKey)
	byRole := set(in.RoleArn) || set(in.ExternalID)
	switch {
	case byKey && byRole:
		return fail("Use either key and secretKey, or roleArn and externalId, not both.")
	case byKey:
		if !set(in.Key) {
			return fail("key is required with secretKey.")
		}
		if !set(in.SecretKey) {
			return fail("secretKey is required with key.")
		}
		k := *in.Key
		out.Key = &k
	case byRole:
		if !set(in.RoleArn) {
			return fail("roleArn is required with externalId.")
		}
		if !set(in.ExternalID) {
			return fail("externalId is required with roleArn (POST /api/v0/aws-integrations-external-id makes one).")
		}
		if !roleArnRe.MatchString(*in.RoleArn) {
			return fail("roleArn %q is not an IAM role ARN such as arn:aws:iam::123456789012:role/MackerelRole.", *in.RoleArn)
		}
		arn, ext := *in.RoleArn, *in.ExternalID
		out.RoleArn, out.ExternalID = &arn, &ext
	default:
		return fail("Credentials are required: key and secretKey, or roleArn and externalId.")
	}
	return nil
}

func service(name string, raw *json.RawMessage, roleExists RoleExists) (*Service, error) {
	if !slices.Contains(Services, name) {
		return nil, fail("services has %q, which is not one of %s.", name, strings.Join(Services, ", "))
	}
	if raw == nil {
		return nil, fail("services.%s must be an object, not null.", name)
	}
	var in serviceInput
	if err := json.Unmarshal(*raw, &in); err != nil {
		return nil, fail("services.%s must be an object with enable, role, includedMetrics or excludedMetrics and retireAutomatically.", name)
	}
	s := &Service{}
	if in.Enable != nil {
		s.Enable = *in.Enable
	}
	if in.Role != nil && *in.Role != "" {
		svc, role, ok := strings.Cut(*in.Role, ":")
		svc, role = strings.TrimSpace(svc), strings.TrimSpace(role)
		if !ok || svc == "" || role == "" {
			return nil, fail("services.%s.role must be \"<service>: <role>\", not %q.", name, *in.Role)
		}
		found, err := roleExists(svc, role)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, fail("services.%s.role %q is not a role.", name, *in.Role)
		}
		full := svc + ": " + role
		s.Role = &full
	}
	switch {
	case in.IncludedMetrics != nil && in.ExcludedMetrics != nil:
		return nil, fail("services.%s: use includedMetrics or excludedMetrics, not both.", name)
	case in.IncludedMetrics != nil:
		s.IncludedMetrics = *in.IncludedMetrics
		if s.IncludedMetrics == nil {
			s.IncludedMetrics = []string{}
		}
	case in.ExcludedMetrics != nil && *in.ExcludedMetrics != nil:
		s.ExcludedMetrics = *in.ExcludedMetrics
	}
	for key, list := range map[string][]string{"includedMetrics": s.IncludedMetrics, "excludedMetrics": s.ExcludedMetrics} {
		for _, m := range list {
			if !metricRe.MatchString(m) {
				return nil, fail("services.%s.%s has %q, which is not a metric name.", name, key, m)
			}
		}
	}
	if in.RetireAutomatically != nil {
		if !slices.Contains(retiringServices, name) {
			if *in.RetireAutomatically {
				return nil, fail("services.%s.retireAutomatically is only for %s.", name, strings.Join(retiringServices, ", "))
			}
		} else {
			r := *in.RetireAutomatically
			s.RetireAutomatically = &r
		}
	}
	return s, nil
}

// Encode is the canonical wire JSON of a setting. A service with neither
// list shows an empty excludedMetrics (nothing excluded).
func Encode(a *Integration) ([]byte, error) {
	c := *a
	c.Services = make(map[string]*Service, len(a.Services))
	for k, s := range a.Services {
		cs := *s
		if cs.IncludedMetrics == nil && cs.ExcludedMetrics == nil {
			cs.ExcludedMetrics = []string{}
		}
		if cs.RetireAutomatically == nil && slices.Contains(retiringServices, k) {
			f := false
			cs.RetireAutomatically = &f
		}
		c.Services[k] = &cs
	}
	return json.Marshal(&c)
}

// ParseStored reads what Encode wrote.
func ParseStored(body []byte) (*Integration, error) {
	var a Integration
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, err
	}
	return &a, nil
}
