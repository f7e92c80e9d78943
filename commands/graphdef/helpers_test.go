package graphdef_test

import (
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// hourAgo is an hour before cmdtest.Epoch, the clock of every run.
var hourAgo = cmdtest.Epoch.Unix() - 3600
