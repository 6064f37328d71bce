# edgewatch — the two set-up commands (README): `make run` and `make test`.
# Each installs what it needs with apt-get first (Debian 12), then builds with SwiftPM.

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_RUN := ca-certificates pkg-config libsqlite3-dev libyaml-dev zlib1g-dev libncurses-dev
APT_TEST := prometheus-node-exporter prometheus prometheus-alertmanager stress-ng openssl tmux htop curl python3 python3-venv systemd-journal-remote postgresql libsnappy1v5 \
	lintian dpkg-dev adduser buildah podman skopeo runc
# Python tools from PyPI for the tests (kubernetes-validate: the manifests' offline schema check),
# in a virtual environment outside the repository.
VENV ?= $(HOME)/.cache/edgewatch/venv
PIP_TEST := kubernetes-validate==1.37.0
SWIFT ?= swift
# Release builds put every function in a section of its own, so the linker can drop unused ones
# and place the functions a steady agent runs together (packaging/linker/hot-functions.order).
RELEASE_FLAGS := -c release --static-swift-stdlib -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections

.PHONY: run test deps-run deps-test build release hot-functions bench clean fixtures format format-check man deb embed image k3s dashboards \
	fuzz-build fuzz fuzz-campaign fuzz-check fuzz-seeds test-asan test-tsan protobuf

# Install Debian packages that are not there yet (apt-get update only when something is missing).
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps-run:
	$(call apt_install,$(APT_RUN))

deps-test: deps-run
	$(call apt_install,$(APT_TEST))
	@[ -x $(VENV)/bin/kubernetes-validate ] || { python3 -m venv $(VENV) && $(VENV)/bin/pip install -q $(PIP_TEST); }

build:
	$(SWIFT) build

# PRODUCT: the benchmarks build theirs with the same flags, so the release objects are shared.
PRODUCT ?= edgewatch
release:
	$(SWIFT) build $(RELEASE_FLAGS) --product $(PRODUCT)

## hot-functions: profile a steady agent (callgrind) and rewrite packaging/linker/hot-functions.order.
hot-functions: deps-run release
	$(call apt_install,valgrind)
	python3 scripts/hot_functions.py
	@# SwiftPM does not know the order file is an input of the link: the next `make release` relinks.
	rm -f .build/release/edgewatch

## run: build the static release binary and run the agent on its embedded defaults
## (store in /var/lib/edgewatch/store.db as root, ~/.local/state/edgewatch otherwise;
## /metrics on 127.0.0.1:9909). Ctrl-C stops it gracefully.
run: deps-run release
	./.build/release/edgewatch agent

## test: unit, store, config, agent daemon, golden end-to-end and node_exporter/promtool parity tests
## (the static release binary too: the Debian package test installs it).
test: deps-test build release
	EDGEWATCH_REQUIRE_PEERS=1 EDGEWATCH_VENV=$(VENV) $(SWIFT) test

## deb: edgewatch_<version>_<arch>.deb from the static release binary (scripts/make_deb.py).
deb: deps-test release
	python3 scripts/make_deb.py

## image: edgewatch-image.tar, an OCI archive built from scratch with buildah (scripts/make_image.py),
## for /var/lib/rancher/k3s/agent/images/.
image: deps-test release
	python3 scripts/make_image.py

## k3s: regenerate config/k3s/*.yaml from config/ and the version (scripts/make_k3s.py).
k3s:
	python3 scripts/make_k3s.py

## dashboards: regenerate dashboards/*.json, the Grafana dashboards (scripts/make_dashboards.py).
dashboards:
	python3 scripts/make_dashboards.py

## bench: CPU per cycle, RSS and binary size against node_exporter (figures, not a pass/fail test).
bench: deps-test
	python3 scripts/bench.py

## fuzz-build: the libFuzzer harness (Fuzz/, one binary, a target per EDGEWATCH_FUZZ_TARGET) into
## .build-fuzz: ASan everywhere, coverage counters in this package's modules (Package.swift).
FUZZ_BUILD := EDGEWATCH_FUZZ=1 $(SWIFT) build -c release --scratch-path .build-fuzz -Xswiftc -sanitize=address -Xswiftc -enable-testing
fuzz-build: deps-run
	$(FUZZ_BUILD) --product edgewatch-fuzz

## fuzz: every target for FUZZ_SECONDS (default 60) each, FUZZ_JOBS at a time, then a table of
## executions, exec/s, coverage, corpus and crashes (scripts/fuzz.py; FUZZ_ARGS="--record --merge"
## counts the run in Fuzz/campaign.tsv and keeps what it covers beyond the committed corpus).
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
fuzz: fuzz-build
	python3 scripts/fuzz.py --seconds $(FUZZ_SECONDS) --jobs $(FUZZ_JOBS) $(FUZZ_ARGS)

## fuzz-campaign: FUZZ_HOURS (default 1) of the targets still under 10 M recorded executions, FUZZ_JOBS
## at a time, nearest the bar first; every run recorded in Fuzz/campaign.tsv, corpora merged at the end.
FUZZ_HOURS ?= 1
fuzz-campaign: fuzz-build
	python3 scripts/fuzz.py --campaign $(FUZZ_HOURS) --jobs $(FUZZ_JOBS)

## fuzz-check: the CI pass: every target a few seconds over the committed corpora; a crash fails.
fuzz-check: fuzz-build
	python3 scripts/fuzz.py --seconds 4 --jobs 2

## fuzz-seeds: regenerate the seed inputs in Fuzz/corpus from the fixtures, configs and rule files.
fuzz-seeds:
	python3 scripts/fuzz_seeds.py

## test-asan / test-tsan: the suite under AddressSanitizer (+ UndefinedBehaviorSanitizer for the C
## shims; Swift on Linux has no -sanitize=undefined) and ThreadSanitizer, each in a build directory of
## its own; the agent and hub processes the tests start are the sanitized binary too.
SANITIZER_FILTER ?=
UBSAN_C := -Xcc -fsanitize=undefined -Xswiftc -Xclang-linker -Xswiftc -fsanitize=undefined
test-asan: deps-test release
	EDGEWATCH_REQUIRE_PEERS=1 EDGEWATCH_VENV=$(VENV) EDGEWATCH_BIN=$(CURDIR)/.build-asan/debug/edgewatch EDGEWATCH_SANITIZER=address \
	  ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no \
	  $(SWIFT) test --scratch-path .build-asan --sanitize=address $(UBSAN_C) $(SANITIZER_FILTER)

test-tsan: deps-test release
	EDGEWATCH_REQUIRE_PEERS=1 EDGEWATCH_VENV=$(VENV) EDGEWATCH_BIN=$(CURDIR)/.build-tsan/debug/edgewatch EDGEWATCH_SANITIZER=thread \
	  SWIFT_BACKTRACE=enable=no \
	  $(SWIFT) test --scratch-path .build-tsan --sanitize=thread $(SANITIZER_FILTER)

## fixtures: rebuild the fixture trees, then refresh golden files with UPDATE_GOLDEN=1 make test.
fixtures:
	python3 scripts/make-fixtures.py

## embed: rewrite the rule sets built into the binary (rules.builtin) from config/rules.yaml and config/node-mixin.rules.yaml.
embed:
	python3 scripts/embed_rules.py

## protobuf: regenerate Sources/EdgewatchRemoteWrite/remote_write.pb.swift with Debian's protoc and
## the resolved swift-protobuf's plugin (the generated file is committed: the plugin takes minutes).
protobuf: deps-run
	$(call apt_install,protobuf-compiler)
	$(SWIFT) package resolve
	$(SWIFT) build -c release --package-path .build/checkouts/swift-protobuf --scratch-path .build-protobuf --product protoc-gen-swift
	cd Sources/EdgewatchRemoteWrite && protoc --plugin=protoc-gen-swift=$(CURDIR)/.build-protobuf/release/protoc-gen-swift \
		--swift_out=. --swift_opt=Visibility=Internal remote_write.proto

## man: regenerate docs/edgewatch.1 from the command definitions (swift-argument-parser's plugin).
man:
	$(SWIFT) package plugin generate-manual
	cp .build/plugins/GenerateManual/outputs/edgewatch/edgewatch.1 docs/edgewatch.1

## format: format the Swift sources in place (.swift-format); format-check: fail on any difference (CI).
SWIFT_FORMAT_PATHS := Sources Tests Benchmarks Fuzz/Sources Package.swift
format:
	$(SWIFT) format format -i -r -p $(SWIFT_FORMAT_PATHS)

format-check:
	$(SWIFT) format lint --strict -r -p $(SWIFT_FORMAT_PATHS)

clean:
	rm -rf .build
