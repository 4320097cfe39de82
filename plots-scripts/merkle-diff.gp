# merkle-diff: bytes on the wire, over-streaming and time against divergence, per shape (xor-xxh64),
# at the largest key count in the CSV.
# Usage: gnuplot -e "csv='results/merkle-diff.csv'; png='results/merkle-diff.png'" plots-scripts/merkle-diff.gp
if (!exists("csv")) csv = 'results/merkle-diff.csv'
if (!exists("png")) png = 'results/merkle-diff.png'

set datafile separator ','
set terminal pngcairo size 1500,560 noenhanced font ',11'
set output png
keys = system(sprintf("awk -F, 'NR > 1 && $5 > m { m = $5 } END { print m }' '%s'", csv))
set multiplot layout 1,3 title sprintf('Merkle diff between replicas of %s keys (XOR tree, xxHash64 digests; medians)', keys)
set logscale x
set logscale y
set grid xtics ytics
set xlabel 'differing keys'
set key top left box opaque font ',9'

# Columns: 1 variant, 2 fanout, 3 depth, 5 keys, 6 differing_keys, 9 diff_us_median, 10 min, 11 max,
# 15 bytes_total, 19 overstream_factor.
rows(f, d) = sprintf("< awk -F, 'NR > 1 && $1 == \"xor-xxh64\" && $2 == %d && $3 == %d && $5 == %s' '%s'", f, d, keys, csv)

set title 'bytes both ways'
set ylabel 'bytes'
plot \
  rows(16, 3) using 6:15 with linespoints lw 2 title '16^3', \
  rows(2, 15) using 6:15 with linespoints lw 2 title '2^15 (Cassandra)', \
  rows(16, 4) using 6:15 with linespoints lw 2 title '16^4', \
  rows(256, 2) using 6:15 with linespoints lw 2 title '256^2', \
  rows(1024, 2) using 6:15 with linespoints lw 2 title '1024^2 (Riak)'

set title 'keys streamed per differing key'
set ylabel 'over-streaming factor'
plot \
  rows(16, 3) using 6:19 with linespoints lw 2 title '16^3', \
  rows(2, 15) using 6:19 with linespoints lw 2 title '2^15 (Cassandra)', \
  rows(16, 4) using 6:19 with linespoints lw 2 title '16^4', \
  rows(256, 2) using 6:19 with linespoints lw 2 title '256^2', \
  rows(1024, 2) using 6:19 with linespoints lw 2 title '1024^2 (Riak)'

set title 'time per diff'
set ylabel 'µs'
plot \
  rows(16, 3) using 6:9:10:11 with yerrorlines lw 2 title '16^3', \
  rows(2, 15) using 6:9:10:11 with yerrorlines lw 2 title '2^15 (Cassandra)', \
  rows(16, 4) using 6:9:10:11 with yerrorlines lw 2 title '16^4', \
  rows(256, 2) using 6:9:10:11 with yerrorlines lw 2 title '256^2', \
  rows(1024, 2) using 6:9:10:11 with yerrorlines lw 2 title '1024^2 (Riak)'
unset multiplot
