# merkle-update: ns per incremental update and ms per full rebuild, per variant and shape.
# Usage: gnuplot -e "csv='results/merkle-update.csv'; png='results/merkle-update.png'" plots-scripts/merkle-update.gp
if (!exists("csv")) csv = 'results/merkle-update.csv'
if (!exists("png")) png = 'results/merkle-update.png'

set datafile separator ','
set terminal pngcairo size 1200,640 noenhanced font ',11'
set output png
set multiplot layout 1,2 title 'Incremental update vs full rebuild (medians, min–max bars)'
set logscale x 2
set xrange [1.4:1500]
set logscale y
set grid xtics ytics
set xlabel 'fanout: 2^15 (Cassandra), 16^4, 256^2, 1024^2 (Riak)'
set key top left box opaque

# Columns: 1 variant, 2 fanout, 7/8/9 update ns median/min/max, 10/11/12 rebuild ms median/min/max.
rows(v) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\"' '%s' | sort -t, -k2,2n", v, csv)

set title 'one update'
set ylabel 'ns per update'
plot \
  rows('rebuilt-sha256') using 2:7:8:9 with yerrorlines lw 2 pt 7 title 'rebuilt, SHA-256', \
  rows('rebuilt-xxh64') using 2:7:8:9 with yerrorlines lw 2 pt 5 title 'rebuilt, xxHash64', \
  rows('xor-sha256') using 2:7:8:9 with yerrorlines lw 2 pt 9 title 'XOR, SHA-256', \
  rows('xor-xxh64') using 2:7:8:9 with yerrorlines lw 2 pt 11 title 'XOR, xxHash64'

set title 'full rebuild'
set ylabel 'ms per rebuild'
plot \
  rows('rebuilt-sha256') using 2:10:11:12 with yerrorlines lw 2 pt 7 title 'rebuilt, SHA-256', \
  rows('rebuilt-xxh64') using 2:10:11:12 with yerrorlines lw 2 pt 5 title 'rebuilt, xxHash64', \
  rows('xor-sha256') using 2:10:11:12 with yerrorlines lw 2 pt 9 title 'XOR, SHA-256', \
  rows('xor-xxh64') using 2:10:11:12 with yerrorlines lw 2 pt 11 title 'XOR, xxHash64'
unset multiplot
