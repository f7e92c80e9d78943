GO       ?= go
BIN      := bin/mkr
PKGS     := ./...
export CGO_ENABLED ?= 0

.PHONY: build test compat bench fuzz lint cover fmt clean pg

build:
	$(GO) build -buildvcs=auto -trimpath -ldflags="-s -w" -o $(BIN) ./cmd/mkr

# The race detector needs cgo; everything else builds with CGO_ENABLED=0.
# -timeout 30m: ./backend alone runs for many minutes under -race on two
# cores (pure-Go SQLite is instrumented too), and go test's default 10m
# per package killed it on a loaded machine; CI's own cap is 90 minutes.
test:
	CGO_ENABLED=1 $(GO) test -race -count=1 -timeout 30m $(PKGS)

# Upstream mkr (v0.65.0) and mackerel-agent (v0.87.0), built from their Go
# modules once into the user cache dir (mkr-compat/), against mkr serve:
# byte-for-byte monitors/alerts output, and the agent registering, posting
# and going silent. Not in `make test` (there these tests skip): a cold
# build of both takes minutes; with the cache warm this takes about 80 s,
# most of it the agent's first one-minute collection.
compat:
	MKR_COMPAT=1 CGO_ENABLED=1 $(GO) test -race -count=1 ./compat/...

# A throwaway PostgreSQL in PGDIR for the PostgreSQL store's tests: prints
# the export line to paste; `.ci/pg stop $(PGDIR)` stops it.
PGDIR ?= /tmp/mkr-pg
pg:
	@.ci/pg start $(PGDIR)
	@echo "# stop it with: .ci/pg stop $(PGDIR) && rm -rf $(PGDIR)"

# bench/ runs mkr serve as a process for minutes (2,000,000 points thrown,
# fleets of simulated agents): once each, after the package benchmarks.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 $$($(GO) list $(PKGS) | grep -v '/bench$$')
	$(GO) test -run '^$$' -bench . -benchtime 1x -count 1 -timeout 60m ./bench

# Each Fuzz target of the module for FUZZTIME (go test fuzzes one target at
# a time); `make test` only runs their seed corpora. FUZZTIME=5s for a quick look.
FUZZTIME ?= 60s
fuzz:
	@targets=$$($(GO) test -list '^Fuzz' $(PKGS) | awk '/^Fuzz/ {t[n++] = $$1} /^ok/ {for (i = 0; i < n; i++) print $$2, t[i]; n = 0}'); \
	if [ -z "$$targets" ]; then echo "fuzz: no Fuzz targets found"; exit 1; fi; \
	echo "$$targets" | while read pkg target; do \
		echo "fuzz: $$target ($$pkg) for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

cover:
	$(GO) test -count=1 -coverprofile=coverage.out $(PKGS)
	$(GO) tool cover -func=coverage.out | tail -n 1

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin coverage.out
