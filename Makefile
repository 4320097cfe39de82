# CAPLab: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

SWIFT        ?= swift
RESULTS      ?= results
SEED         ?= 1
# Debian packages the lab needs: gnuplot draws the plots; jemalloc is the
# allocator package-benchmark can use for malloc statistics; valgrind
# (callgrind) counts instructions for the regression gate; libmemcached-dev
# is the ketama peer `make peers` measures against (and the ketama fixture's generator uses);
# etcd, Redis (with Sentinel), iproute2 and iptables are the real engines and their hosts.
# chromium: headless browser that renders `caplab check --html` pages in CheckHTMLTests.
DEB_PACKAGES := gnuplot-nox libjemalloc-dev valgrind binutils libmemcached-dev \
                etcd-server redis-server redis-sentinel iproute2 iptables chromium
CAPLAB       := .build/release/caplab

.PHONY: fuzz run test quick full plot bench bench-check bench-baseline bench-selftest build release deps clean help peers check-results compare-calibrate

BASELINE     ?= Benchmarks/Baselines/instructions.csv
# Empty: each kernel's tolerance is 5 x its measured spread, floored at 1 %
# (or its baseline row's tolerance_pct); a number fixes it for every kernel.
TOLERANCE    ?=
# Every baseline and check appends here; `caplab gate history --history FILE --png F` draws it.
GATE_HISTORY ?= .build/gate-history.csv
# How many times `make bench-baseline` counts each kernel to measure its spread.
GATE_REPEAT  ?= 3
# Static malloc thresholds (package-benchmark p90 JSON files) and how many
# iterations each benchmark runs when only allocations are checked.
THRESHOLDS   ?= Benchmarks/Thresholds
MALLOC_ITER  ?= 1000

help:
	@echo "make run    install missing Debian packages, build release, run the default experiments, plot them"
	@echo "make test   build and run the test suite"
	@echo "make quick  run every experiment on its reduced grid (well under a minute)"
	@echo "make full   run every experiment on its largest grid (slow)"
	@echo "make plot   redraw $(RESULTS)/*.png from $(RESULTS)/*.csv"
	@echo "make bench  run the package-benchmark micro-benchmarks"
	@echo "make bench-check     the CI gate: instructions/op per kernel (callgrind) vs $(BASELINE), and malloc thresholds"
	@echo "make bench-baseline  rewrite $(BASELINE) and the malloc thresholds from this checkout"
	@echo "make bench-selftest  check that the gate fails on a doctored baseline, naming the kernel"
	@echo "make check-results   every $(RESULTS)/*.meta.json names one commit, and Sources/ is unchanged since (or explained in $(RESULTS)/RUN-NOTE)"
	@echo "make compare-calibrate  A/A false alarms and 5 %/10 % detection of caplab compare on this machine"
	@echo "make fuzz   fuzz every input parser for FUZZ_SECONDS (default 60) each; CI runs FUZZ_SECONDS=7"
	@echo "make peers  time the hash-ring variants against C peers (libmemcached ketama, C Jump, C Maglev)"

## Install the Debian packages that are missing, and only those.
deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

release:
	$(SWIFT) build -c release --product caplab

build:
	$(SWIFT) build

run: deps release
	$(CAPLAB) run --seed $(SEED) --out $(RESULTS)
	$(CAPLAB) plot --results $(RESULTS)

full: deps release
	$(CAPLAB) run --full --seed $(SEED) --out $(RESULTS)
	$(CAPLAB) plot --results $(RESULTS)

quick: deps release
	$(CAPLAB) run --quick --seed $(SEED) --out $(RESULTS)/quick
	$(CAPLAB) plot --results $(RESULTS)/quick

plot: deps release
	$(CAPLAB) plot --results $(RESULTS)

test:
	$(SWIFT) test

# Fuzz every input parser for FUZZ_SECONDS each (seeded mutation, Sources/caplab-fuzz);
# the bad-input corpus seeds it. A crashing or hanging input is saved under .build/fuzz-crashes.
FUZZ_SECONDS ?= 60
FUZZ_SEED    ?= 1
fuzz:
	$(SWIFT) build -c release --product caplab-fuzz
	@status=0; for t in $$(.build/release/caplab-fuzz --list); do \
	  .build/release/caplab-fuzz --target $$t --seconds $(FUZZ_SECONDS) --seed $(FUZZ_SEED) \
	    --corpus Tests/Fixtures/bad-inputs --crashes .build/fuzz-crashes || status=1; \
	done; exit $$status

bench: deps
	$(SWIFT) package benchmark

## The regression gate: deterministic instruction counts, then allocation counts.
bench-check: deps release
	$(CAPLAB) gate check --baseline $(BASELINE) --history $(GATE_HISTORY) $(if $(TOLERANCE),--tolerance-percent $(TOLERANCE))
	BENCH_MAX_ITER=$(MALLOC_ITER) $(SWIFT) package benchmark thresholds check --metric mallocCountTotal --path $(THRESHOLDS)

bench-baseline: deps release
	$(CAPLAB) gate baseline --baseline $(BASELINE) --repeat $(GATE_REPEAT) --history $(GATE_HISTORY)
	BENCH_MAX_ITER=$(MALLOC_ITER) $(SWIFT) package benchmark thresholds update --metric mallocCountTotal --path $(THRESHOLDS)

## The gate must be able to fail: doctor one kernel's baseline 10 % below what
## the code executes and expect a failure that names that kernel.
bench-selftest: deps release
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	kernel=$$(awk -F, 'NR == 2 {print $$1}' $(BASELINE)); \
	awk -F, -v k="$$kernel" 'BEGIN {OFS=","} NR > 1 && $$1 == k {$$2 = $$2 / 1.10} {print}' $(BASELINE) > "$$tmp/doctored.csv"; \
	if $(CAPLAB) gate check --baseline "$$tmp/doctored.csv" --kernel "$$kernel" > "$$tmp/out" 2>&1; then \
	  cat "$$tmp/out"; echo "bench-selftest: FAILED: the gate passed a kernel 10 % above its doctored baseline"; exit 1; \
	fi; \
	if ! grep -q "gate regression: .*$$kernel" "$$tmp/out"; then \
	  cat "$$tmp/out"; echo "bench-selftest: FAILED: the gate failed without naming $$kernel"; exit 1; \
	fi; \
	echo "bench-selftest: ok: the gate failed on the doctored baseline and named $$kernel"
## One reference run: all result files from one commit, no unexplained change to Sources/ since.
check-results:
	.ci/check-results $(RESULTS)

## caplab compare's false-alarm rate on A/A runs of unchanged code and its
## detection rate on 5 % and 10 % slowdowns: RUNS quick runs of one
## experiment, every pair compared, the slowdowns applied to the second run's samples.
CALIBRATE_EXPERIMENT ?= ring-lookup
CALIBRATE_RUNS       ?= 10
compare-calibrate: release
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for i in $$(seq 1 $(CALIBRATE_RUNS)); do \
	  $(CAPLAB) run $(CALIBRATE_EXPERIMENT) --quick --seed $(SEED) --out "$$tmp/run$$i" 2>/dev/null; \
	done; \
	$(CAPLAB) compare --calibrate $$tmp/run*/$(CALIBRATE_EXPERIMENT).csv

## Hash-ring variants against compiled peers on the same keys: results/ring-peers.csv and .png.
peers: deps
	$(SWIFT) build -c release --product ring-peers
	.build/release/ring-peers --seed $(SEED) --out $(RESULTS)/ring-peers.csv
	gnuplot -e "csv='$(RESULTS)/ring-peers.csv'; png='$(RESULTS)/ring-peers.png'" plots-scripts/ring-peers.gp

clean:
	rm -rf .build
