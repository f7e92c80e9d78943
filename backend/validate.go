package backend

import "github.com/mkr-dev/mkr/client"

// The rules themselves live in package client (client/limits.go), so that
// the CLI checks input the way this backend does; these helpers only turn
// a broken rule into the hosted API's 400 message.

func checkServiceName(kind, name string) error {
	if !client.ValidServiceName(name) {
		return badRequest("Invalid %s name %q: use 2 to 63 of A-Z a-z 0-9 _ -, not starting with _ or -.", kind, name)
	}
	return nil
}

func checkHostStatus(s string) error {
	if !client.ValidHostStatus(s) {
		return badRequest("Invalid status %q: must be one of working, standby, maintenance, poweroff.", s)
	}
	return nil
}
