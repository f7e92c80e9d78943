package backend_test

// AWS integration settings through mackerel-client-go v0.46.0: create with
// an access key or an IAM role, the wire form (no secret key, nulls for
// the unused credentials), updates that keep omitted credentials, names
// unique, the external id and the excludable metrics, and the refusals.

import (
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend/backendtest"
)

func TestCompatAWSIntegrations(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	env.MustCreateService(t, "web", "app")
	mc := mustMackerel(t, env)

	list, err := mc.FindAWSIntegrations()
	if err != nil || list == nil || len(list) != 0 {
		t.Fatalf("FindAWSIntegrations on a new database = %v, %v", list, err)
	}
	role := "web: app"
	created, err := mc.CreateAWSIntegration(&mackerel.CreateAWSIntegrationParam{
		Name: "prod", Memo: "m", Key: "AKIAEXAMPLE", SecretKey: "secret", Region: "ap-northeast-1",
		IncludedTags: "Name:web,Env:prod", ExcludedTags: "Name:test",
		Services: map[string]*mackerel.AWSIntegrationService{
			"EC2": {Enable: true, Role: &role, ExcludedMetrics: []string{"ec2.cpu.used"}, RetireAutomatically: true},
			"ALB": {Enable: true, IncludedMetrics: []string{"alb.request.count"}},
			"SQS": {Enable: false},
		},
	})
	if err != nil {
		t.Fatalf("CreateAWSIntegration: %v", err)
	}
	want := &mackerel.AWSIntegration{ID: created.ID, Name: "prod", Memo: "m", Key: "AKIAEXAMPLE", Region: "ap-northeast-1",
		IncludedTags: "Name:web,Env:prod", ExcludedTags: "Name:test",
		Services: map[string]*mackerel.AWSIntegrationService{
			"EC2": {Enable: true, Role: &role, ExcludedMetrics: []string{"ec2.cpu.used"}, RetireAutomatically: true},
			"ALB": {Enable: true, IncludedMetrics: []string{"alb.request.count"}},
			"SQS": {Enable: false, ExcludedMetrics: []string{}},
		}}
	if !reflect.DeepEqual(created, want) {
		t.Fatalf("created\n%+v\nwant\n%+v", created, want)
	}
	// The wire form: no secretKey anywhere, null for the role credentials.
	resp := serve(t, env.Handler, "GET", "/api/v0/aws-integrations/"+created.ID, "")
	wantWire := `{"id":"` + created.ID + `","name":"prod","memo":"m","key":"AKIAEXAMPLE","roleArn":null,"externalId":null,"region":"ap-northeast-1","includedTags":"Name:web,Env:prod","excludedTags":"Name:test","services":{"ALB":{"enable":true,"role":null,"includedMetrics":["alb.request.count"]},"EC2":{"enable":true,"role":"web: app","excludedMetrics":["ec2.cpu.used"],"retireAutomatically":true},"SQS":{"enable":false,"role":null,"excludedMetrics":[]}}}`
	if got := strings.TrimSpace(string(resp.body)); got != wantWire {
		t.Fatalf("GET one\n got %s\nwant %s", got, wantWire)
	}
	if strings.Contains(env.MustDump(t), "secret") {
		t.Fatal("the secret key is in the database")
	}

	// An update without credentials keeps them; one with a role switches.
	updated, err := mc.UpdateAWSIntegration(created.ID, &mackerel.UpdateAWSIntegrationParam{Name: "prod", Region: "us-east-1", Services: map[string]*mackerel.AWSIntegrationService{}})
	if err != nil || updated.Key != "AKIAEXAMPLE" || updated.Region != "us-east-1" || len(updated.Services) != 0 {
		t.Fatalf("UpdateAWSIntegration without credentials = %+v, %v", updated, err)
	}
	extID, err := mc.CreateAWSIntegrationExternalID()
	if err != nil || !regexp.MustCompile(`^[0-9A-Za-z]{43}$`).MatchString(extID) {
		t.Fatalf("CreateAWSIntegrationExternalID = %q, %v", extID, err)
	}
	if other, _ := mc.CreateAWSIntegrationExternalID(); other == extID {
		t.Fatal("two external ids are the same")
	}
	updated, err = mc.UpdateAWSIntegration(created.ID, &mackerel.UpdateAWSIntegrationParam{Name: "prod", Region: "us-east-1",
		RoleArn: "arn:aws:iam::123456789012:role/Mackerel", ExternalID: extID})
	if err != nil || updated.Key != "" || updated.RoleArn != "arn:aws:iam::123456789012:role/Mackerel" || updated.ExternalID != extID {
		t.Fatalf("UpdateAWSIntegration to a role = %+v, %v", updated, err)
	}

	second, err := mc.CreateAWSIntegration(&mackerel.CreateAWSIntegrationParam{Name: "dev", Key: "k", SecretKey: "s", Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = mc.UpdateAWSIntegration(second.ID, &mackerel.UpdateAWSIntegrationParam{Name: "prod", Region: "eu-west-1"})
	wantAPIError(t, err, http.StatusBadRequest, `name: an AWS integration named "prod" already exists.`)
	list, err = mc.FindAWSIntegrations()
	if err != nil || len(list) != 2 || list[0].ID != created.ID || list[1].ID != second.ID {
		t.Fatalf("FindAWSIntegrations = %+v, %v", list, err)
	}
	one, err := mc.FindAWSIntegration(second.ID)
	if err != nil || !reflect.DeepEqual(one, second) {
		t.Fatalf("FindAWSIntegration = %+v, %v", one, err)
	}
	deleted, err := mc.DeleteAWSIntegration(second.ID)
	if err != nil || !reflect.DeepEqual(deleted, second) {
		t.Fatalf("DeleteAWSIntegration = %+v, %v", deleted, err)
	}
	_, err = mc.FindAWSIntegration(second.ID)
	wantAPIError(t, err, http.StatusNotFound, "AWS integration not found.")

	metrics, err := mc.ListAWSIntegrationExcludableMetrics()
	if err != nil || len(*metrics) != 28 || (*metrics)["EC2"] == nil || len((*metrics)["EC2"]) != 0 {
		t.Fatalf("ListAWSIntegrationExcludableMetrics = %v, %v; want the 28 services, each with no metric", metrics, err)
	}
}

func TestBadAWSIntegrations(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	env.MustCreateService(t, "web", "app")
	mc := mustMackerel(t, env)
	a, err := mc.CreateAWSIntegration(&mackerel.CreateAWSIntegrationParam{Name: "prod", Key: "k", SecretKey: "s", Region: "ap-northeast-1"})
	if err != nil {
		t.Fatal(err)
	}
	const ok = `"name":"x","key":"k","secretKey":"s","region":"us-east-1"`
	runBadOn(t, env, strings.NewReplacer("ID", a.ID), []badCase{
		{"no body", "POST", "/api/v0/aws-integrations", ``, 400, "Request body is required."},
		{"no name", "POST", "/api/v0/aws-integrations", `{"key":"k","secretKey":"s","region":"us-east-1"}`, 400, "name is required."},
		{"name not a string", "POST", "/api/v0/aws-integrations", `{"name":1}`, 400, "name must not be number."},
		{"taken name", "POST", "/api/v0/aws-integrations", `{"name":"prod","key":"k","secretKey":"s","region":"us-east-1"}`, 400, `name: an AWS integration named "prod" already exists.`},
		{"no region", "POST", "/api/v0/aws-integrations", `{"name":"x","key":"k","secretKey":"s"}`, 400, "region is required."},
		{"bad region", "POST", "/api/v0/aws-integrations", `{"name":"x","key":"k","secretKey":"s","region":"Tokyo"}`, 400, `region "Tokyo" is not an AWS region such as ap-northeast-1.`},
		{"no credentials", "POST", "/api/v0/aws-integrations", `{"name":"x","region":"us-east-1"}`, 400, "Credentials are required: key and secretKey, or roleArn and externalId."},
		{"key without secret", "POST", "/api/v0/aws-integrations", `{"name":"x","key":"k","region":"us-east-1"}`, 400, "secretKey is required with key."},
		{"both methods", "POST", "/api/v0/aws-integrations", `{` + ok + `,"roleArn":"arn:aws:iam::123456789012:role/r","externalId":"e"}`, 400, "Use either key and secretKey, or roleArn and externalId, not both."},
		{"role without external id", "POST", "/api/v0/aws-integrations", `{"name":"x","roleArn":"arn:aws:iam::123456789012:role/r","region":"us-east-1"}`, 400, "externalId is required with roleArn (POST /api/v0/aws-integrations-external-id makes one)."},
		{"bad role arn", "POST", "/api/v0/aws-integrations", `{"name":"x","roleArn":"arn:aws:iam::1:role/r","externalId":"e","region":"us-east-1"}`, 400, `roleArn "arn:aws:iam::1:role/r" is not an IAM role ARN such as arn:aws:iam::123456789012:role/MackerelRole.`},
		{"bad tags", "POST", "/api/v0/aws-integrations", `{` + ok + `,"includedTags":"a:b,,c"}`, 400, `includedTags must be comma-separated key:value pairs, not "a:b,,c".`},
		{"unknown service", "POST", "/api/v0/aws-integrations", `{` + ok + `,"services":{"EC3":{"enable":true}}}`, 400, `services has "EC3", which is not one of EC2, ELB, ALB, NLB, RDS, Redshift, ElastiCache, SQS, Lambda, DynamoDB, CloudFront, APIGateway, Kinesis, S3, ES, ECSCluster, SES, States, EFS, Firehose, Batch, WAF, Billing, Route53, Connect, DocDB, CodeBuild, Athena.`},
		{"both metric lists", "POST", "/api/v0/aws-integrations", `{` + ok + `,"services":{"ALB":{"includedMetrics":["a"],"excludedMetrics":["b"]}}}`, 400, "services.ALB: use includedMetrics or excludedMetrics, not both."},
		{"bad metric", "POST", "/api/v0/aws-integrations", `{` + ok + `,"services":{"ALB":{"excludedMetrics":["a b"]}}}`, 400, `services.ALB.excludedMetrics has "a b", which is not a metric name.`},
		{"role not service: role", "POST", "/api/v0/aws-integrations", `{` + ok + `,"services":{"EC2":{"role":"web"}}}`, 400, `services.EC2.role must be "<service>: <role>", not "web".`},
		{"unknown role", "POST", "/api/v0/aws-integrations", `{` + ok + `,"services":{"EC2":{"role":"web: db"}}}`, 400, `services.EC2.role "web: db" is not a role.`},
		{"retire on SQS", "POST", "/api/v0/aws-integrations", `{` + ok + `,"services":{"SQS":{"retireAutomatically":true}}}`, 400, "services.SQS.retireAutomatically is only for EC2, RDS, ElastiCache."},
		{"update unknown", "PUT", "/api/v0/aws-integrations/nosuch", `{` + ok + `}`, 404, "AWS integration not found."},
		{"update bad region", "PUT", "/api/v0/aws-integrations/ID", `{"name":"prod","region":""}`, 400, "region is required."},
		{"delete unknown", "DELETE", "/api/v0/aws-integrations/nosuch", ``, 404, "AWS integration not found."},
	})
}
