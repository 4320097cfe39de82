# CAPLab: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

SWIFT        ?= swift
RESULTS      ?= results
SEED         ?= 1
# Debian packages the lab needs: gnuplot draws the plots; jemalloc is the
# allocator package-benchmark can use for malloc statistics; libmemcached-dev
# is the ketama peer `make peers` measures against (and regenerates the
# ketama fixture's generator with).
DEB_PACKAGES := gnuplot-nox libjemalloc-dev libmemcached-dev
CAPLAB       := .build/release/caplab

.PHONY: run test quick full plot bench build release deps clean help peers

help:
	@echo "make run    install missing Debian packages, build release, run the default experiments, plot them"
	@echo "make test   build and run the test suite"
	@echo "make quick  run every experiment on its reduced grid (well under a minute)"
	@echo "make full   run every experiment on its largest grid (slow)"
	@echo "make plot   redraw $(RESULTS)/*.png from $(RESULTS)/*.csv"
	@echo "make bench  run the package-benchmark micro-benchmarks"
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

bench: deps
	$(SWIFT) package benchmark

## Hash-ring variants against compiled peers on the same keys: results/ring-peers.csv and .png.
peers: deps
	$(SWIFT) build -c release --product ring-peers
	.build/release/ring-peers --seed $(SEED) --out $(RESULTS)/ring-peers.csv
	gnuplot -e "csv='$(RESULTS)/ring-peers.csv'; png='$(RESULTS)/ring-peers.png'" plots-scripts/ring-peers.gp

clean:
	rm -rf .build
