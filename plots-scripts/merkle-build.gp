# merkle-build: ns per key to build a Merkle tree against key count, per variant.
# Usage: gnuplot -e "csv='results/merkle-build.csv'; png='results/merkle-build.png'" plots-scripts/merkle-build.gp
# Points are medians with min–max bars; dashed lines are the same hash's unavoidable work alone (the limit).
if (!exists("csv")) csv = 'results/merkle-build.csv'
if (!exists("png")) png = 'results/merkle-build.png'

set datafile separator ','
set terminal pngcairo size 1000,640 noenhanced font ',11'
set output png
set title 'Merkle tree build, Cassandra shape (2^15 leaves): cost per key (median, min–max); dashed = hash limit'
set xlabel 'keys'
set ylabel 'ns per key'
set logscale x
set logscale y
set grid xtics ytics mxtics
set key top right box opaque

# Columns: 1 variant, 4 keys, 6 median, 7 min, 8 max, 10 hash limit ns per key.
rows(v) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\"' '%s'", v, csv)

plot \
  rows('rebuilt-sha256') using 4:6:7:8 with yerrorlines lw 2 lc 1 pt 7 title 'rebuilt, SHA-256', \
  rows('rebuilt-xxh64') using 4:6:7:8 with yerrorlines lw 2 lc 2 pt 5 title 'rebuilt, xxHash64', \
  rows('xor-sha256') using 4:6:7:8 with yerrorlines lw 2 lc 3 pt 9 title 'XOR, SHA-256', \
  rows('xor-xxh64') using 4:6:7:8 with yerrorlines lw 2 lc 4 pt 11 title 'XOR, xxHash64', \
  rows('rebuilt-sha256') using 4:10 with lines dt 2 lc 1 notitle, \
  rows('rebuilt-xxh64') using 4:10 with lines dt 2 lc 2 notitle, \
  rows('xor-sha256') using 4:10 with lines dt 2 lc 3 notitle, \
  rows('xor-xxh64') using 4:10 with lines dt 2 lc 4 notitle
