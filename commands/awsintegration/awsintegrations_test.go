package awsintegration_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestAWSIntegrations(t *testing.T) {
	e := cmdtest.New(t)
	e.RunSteps(t, []cmdtest.Step{{Name: "none", Args: []string{"aws-integrations"}, Want: cmdtest.Want{Stdout: "[]\n"}}})
	e.SeedService("web", "app")
	rec := httptest.NewRecorder()
	e.Backend().Handler().ServeHTTP(rec, httptest.NewRequest("POST", "/api/v0/aws-integrations", strings.NewReader(`{"name":"prod","key":"AKIA1","secretKey":"s","region":"ap-northeast-1","includedTags":"Env:prod","services":{"EC2":{"enable":true,"role":"web: app","excludedMetrics":["ec2.cpu.used"],"retireAutomatically":true},"SQS":{"enable":false}}}`)))
	var created struct{ ID string }
	if err := json.Unmarshal(rec.Body.Bytes(), &created); err != nil || rec.Code != 200 {
		t.Fatalf("seeding: %d %s", rec.Code, rec.Body)
	}
	e.Names["id"] = created.ID
	e.RunSteps(t, []cmdtest.Step{
		{Name: "upstream's view", Args: []string{"aws-integrations"}, Want: cmdtest.Want{Stdout: `[
    {
        "id": "{id}",
        "name": "prod",
        "memo": "",
        "key": "AKIA1",
        "region": "ap-northeast-1",
        "includedTags": "Env:prod",
        "excludedTags": "",
        "services": {
            "EC2": {
                "enable": true,
                "role": "web: app",
                "includedMetrics": null,
                "excludedMetrics": [
                    "ec2.cpu.used"
                ],
                "retireAutomatically": true
            },
            "SQS": {
                "enable": false,
                "role": null,
                "includedMetrics": null,
                "excludedMetrics": []
            }
        }
    }
]
`}},
		{Name: "jq", Args: []string{"aws-integrations", "--jq", `.[] | .name + " " + .region`}, Want: cmdtest.Want{Stdout: "prod ap-northeast-1\n"}},
		{Name: "table on a terminal", Opts: cmdtest.RunOpts{TTY: true}, Args: []string{"aws-integrations"}, Want: cmdtest.Want{
			Stdout: "ID            NAME   REGION           AUTH        ENABLED SERVICES\n{id}   prod   ap-northeast-1   key AKIA1   EC2\n"}},
	})
}
