#!/bin/sh
# Writes the histories of issue 17's "figures to beat" table, and their
# 10⁶-operation versions, from CAPLab's own threaded runtime (`caplab stress`,
# real threads and clock, N = 3, lnkd-disk latencies), as JSON lines:
#
#   abd-8keys-{10k,100k,1m}.jsonl     ABD (majority reads with write-back), 8 uniform keys
#   rw1-8keys-{10k,100k,1m}.jsonl     Dynamo R = W = 1, no read repair, 8 uniform keys
#   rw1-hotkey-{10k,100k,1m}.jsonl    Dynamo R = W = 1, no read repair, one key
#
# Usage:  Benchmarks/CheckHistories/write-histories.sh OUTDIR [SIZES]
#   SIZES: any of 10k 100k 1m (default: all three). CAPLAB=path overrides
#   the binary (default .build/release/caplab; build it with
#   `swift build -c release --product caplab`).
# Then:   for f in OUTDIR/*.jsonl; do /usr/bin/time -v .build/release/caplab check $f; done
#
# Seeded (seed 1), so the operation stream (keys, values, arrival times) is
# the same each time; the interleaving comes from real threads, so two runs
# give different histories with the same shape. `caplab stress` also checks
# each history as it writes it (its CSV goes to OUTDIR/*.csv). Offered rate:
# 20 000 operations/s (a 10⁶-operation history takes about a minute to record),
# which keeps tens of operations in flight on the hot key.
set -eu
out=${1:?usage: write-histories.sh OUTDIR [10k 100k 1m]}
shift
sizes=${*:-10k 100k 1m}
caplab=${CAPLAB:-.build/release/caplab}
[ -x "$caplab" ] || { echo "write-histories.sh: $caplab not found; run: swift build -c release --product caplab" >&2; exit 66; }
mkdir -p "$out"

scenario() { # name protocol r w keys operations
    cat > "$out/$1.yaml" <<YAML
name: $1
operations: $6
seed: 1
timeout_ms: 1000
cluster:
  nodes: 5
threads:
  clients: 2
  replicas: 2
grid:
  protocol: $2
  n: 3
  r: $3
  w: $4
  model: lnkd-disk
  read_repair: off
  sloppy_quorum: false
workload:
  rate_per_s: 20000
  write_fraction: 0.5
  keys: $5
  key_distribution: uniform
  clients: 64
YAML
}

for size in $sizes; do
    case $size in
        10k) n=10000 ;;
        100k) n=100000 ;;
        1m) n=1000000 ;;
        *) echo "write-histories.sh: unknown size '$size' (expected 10k, 100k or 1m)" >&2; exit 64 ;;
    esac
    scenario "abd-8keys-$size" abd 2 2 8 $n
    scenario "rw1-8keys-$size" dynamo 1 1 8 $n
    scenario "rw1-hotkey-$size" dynamo 1 1 1 $n
    for name in "abd-8keys-$size" "rw1-8keys-$size" "rw1-hotkey-$size"; do
        echo "== $name" >&2
        "$caplab" stress "$out/$name.yaml" --history "$out/$name.jsonl" --out "$out/$name.csv" || [ $? -le 2 ]
    done
done
