GO       ?= go
BIN      := bin/mkr
PKGS     := ./...
export CGO_ENABLED ?= 0

.PHONY: build test bench lint cover fmt clean

build:
	$(GO) build -buildvcs=auto -trimpath -ldflags="-s -w" -o $(BIN) ./cmd/mkr

# The race detector needs cgo; everything else builds with CGO_ENABLED=0.
test:
	CGO_ENABLED=1 $(GO) test -race -count=1 $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 $(PKGS)

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
