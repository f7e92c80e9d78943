package engine_test

import (
	"github.com/mkr-dev/mkr/backend/engine"
	"github.com/mkr-dev/mkr/backend/store"
)

func engineOver(st store.Store) *engine.Engine { return engine.New(st) }
