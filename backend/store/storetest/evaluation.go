package storetest

import "testing"

func testEvaluation(t *testing.T, open Opener) {
	t.Skip("written by the change that implements the store methods")
}
