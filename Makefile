# cmdfix: make build, make test (what CI runs), make dist, make bench, make golden.
GO ?= go
GOFILES = $(shell find . -name '*.go' -not -path './.git/*')

.PHONY: build test vet fmt-check golden bench fuzz dist

build:
	$(GO) build -o bin/cmdfix ./cmd/cmdfix

# test is what .ci/run runs: vet, gofmt, then every test (golden cases,
# corpus properties, CLI scripts, fuzz seed corpora).
test: vet fmt-check
	@test -d ../shared/corpus || echo "make test: no corpus at ../shared/corpus: every corpus sweep skips (go test -v ./... prints, per package, how many and why)"
	$(GO) test -count=1 ./...

vet:
	$(GO) vet ./...
	cd build/tools && $(GO) vet ./...

fmt-check:
	@out="$$(gofmt -l $(GOFILES))"; if [ -n "$$out" ]; then echo "gofmt -l reports:"; echo "$$out"; exit 1; fi

# dist builds the release into dist/: static binaries for linux, darwin and
# windows on amd64 and arm64, their archives (.tar.gz, .zip for windows)
# and SHA256SUMS, reproducibly (see build/dist/main.go). The version is the
# tag at HEAD, else a pseudo-version; VERSION=v1.2.3 overrides it.
dist:
	$(GO) run ./build/dist -o dist

# golden rewrites the golden expectations from the current output; review
# the diff before committing.
golden:
	$(GO) test ./rewrite ./rewrite/rules -run Golden -update

# bench measures cmdfix against dockerfmt, dprint and a parse-only floor
# over ../shared/corpus and ten copies of it (see bench/bench.sh); the
# report goes to bench/results/latest.txt. It needs npm and takes minutes.
bench:
	bash bench/bench.sh

# fuzz runs each fuzz target for FUZZTIME (go test -fuzztime syntax: 60s,
# 10m, 100000x), one after another, with one worker each (FUZZPARALLEL).
# Inputs that fail are saved under the package's testdata/fuzz and then run
# by plain go test. make test runs only the seed corpora.
FUZZTIME ?= 60s
FUZZPARALLEL ?= 1
# FUZZTARGETS are PACKAGE:TARGET pairs.
FUZZTARGETS = ./rewrite:FuzzProcess ./rewrite/internal/format:FuzzFormat \
	./rewrite/shell:FuzzShellWords ./rewrite/dockerfile:FuzzJSONArray

fuzz:
	@for pt in $(FUZZTARGETS); do \
		p=$${pt%%:*}; t=$${pt#*:}; \
		echo "== $$p $$t ($(FUZZTIME))"; \
		$(GO) test $$p -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) -parallel $(FUZZPARALLEL) -timeout 0 || exit 1; \
	done

