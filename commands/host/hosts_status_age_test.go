package host_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// --status-age adds when each host's status last changed and how long ago,
// as JSON keys when piped and a column on a terminal.
func TestHostsStatusAge(t *testing.T) {
	e := cmdtest.New(t)
	e.CreateHost("web")
	e.CreateHost("db")
	e.Clock.Advance(30 * time.Minute)
	e.MustRun("update", "--st", "standby", "{db}")
	e.Clock.Advance(26*time.Hour + 5*time.Minute)

	e.Check(e.Run("hosts", "--status-age"), cmdtest.Want{Stdout: `[
    {
        "id": "{web}",
        "name": "web",
        "status": "working",
        "isRetired": false,
        "createdAt": "2024-05-06T07:08:09+00:00",
        "statusChangedAt": "2024-05-06T07:08:09+00:00",
        "statusAge": "1d2h35m"
    },
    {
        "id": "{db}",
        "name": "db",
        "status": "standby",
        "isRetired": false,
        "createdAt": "2024-05-06T07:08:09+00:00",
        "statusChangedAt": "2024-05-06T07:38:09+00:00",
        "statusAge": "1d2h5m"
    }
]
`})
	e.Check(e.RunWith(cmdtest.RunOpts{TTY: true}, "hosts", "--status-age"), cmdtest.Want{
		Stdout: `ID            NAME   STATUS    STATUS AGE   ROLES   IP ADDRESSES   CREATED AT
{web}   web    working   1d2h35m                             2024-05-06 07:08:09
{db}   db     standby   1d2h5m                              2024-05-06 07:08:09
`})
	// Without the flag the view stays upstream's.
	e.Check(e.Run("hosts", "--jq", ".[1] | keys | join(\",\")"), cmdtest.Want{
		Stdout: "createdAt,id,isRetired,name,status\n"})
	e.Check(e.Run("hosts", "-v", "--status-age"), cmdtest.Want{Code: 1,
		Stderr: "     error --status-age adds to the default view; --verbose prints the API's objects as they are\nRun 'mkr hosts --help' for usage.\n"})
}

// A host from an API that does not record status changes (the hosted one)
// gets neither key, and a "-" in the table.
func TestHostsStatusAgeUnknown(t *testing.T) {
	e := cmdtest.New(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"hosts":[{"id":"h1","name":"web","size":"standard","status":"standby","memo":"",`+
			`"roles":{},"isRetired":false,"createdAt":1714979289,"meta":{},"interfaces":[]}]}`)
	}))
	defer srv.Close()
	e.Check(e.RunRemote(srv.URL, "key", cmdtest.RunOpts{}, "hosts", "--status-age"), cmdtest.Want{Stdout: `[
    {
        "id": "h1",
        "name": "web",
        "status": "standby",
        "isRetired": false,
        "createdAt": "2024-05-06T07:08:09+00:00"
    }
]
`})
	e.Check(e.RunRemote(srv.URL, "key", cmdtest.RunOpts{TTY: true}, "hosts", "--status-age"), cmdtest.Want{
		Stdout: `ID   NAME   STATUS    STATUS AGE   ROLES   IP ADDRESSES   CREATED AT
h1   web    standby   -                                   2024-05-06 07:08:09
`})
}
