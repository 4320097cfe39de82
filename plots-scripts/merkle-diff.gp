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
# 16^4 and 256^2 both have 65 536 leaves and give the same curve: 256^2 is drawn dashed with large
# open markers over the small filled markers of 16^4, so both stay visible.

# Columns: 1 variant, 2 fanout, 3 depth, 5 keys, 6 differing_keys, 9 diff_us_median, 10 min, 11 max,
# 15 bytes_total, 19 overstream_factor.
rows(f, d) = sprintf("< awk -F, 'NR > 1 && $1 == \"xor-xxh64\" && $2 == %d && $3 == %d && $5 == %s' '%s'", f, d, keys, csv)

set title 'bytes both ways'
set key bottom right box opaque font ',9'
set ylabel 'bytes'
plot \
  rows(16, 3) using 6:15 with linespoints lw 2 lc rgb '#1f77b4' pt 7 ps 1.0 dt 1 title '16^3', \
  rows(2, 15) using 6:15 with linespoints lw 2 lc rgb '#d62728' pt 5 ps 1.0 dt 1 title '2^15 (Cassandra)', \
  rows(16, 4) using 6:15 with linespoints lw 2 lc rgb '#2ca02c' pt 9 ps 1.0 dt 1 title '16^4', \
  rows(256, 2) using 6:15 with linespoints lw 2 lc rgb '#ff7f0e' pt 6 ps 2.2 dt 2 title '256^2 (same 65 536 leaves as 16^4)', \
  rows(1024, 2) using 6:15 with linespoints lw 2 lc rgb '#9467bd' pt 4 ps 1.2 dt 1 title '1024^2 (Riak)'

set title 'keys one replica sends per differing key'
set key top right box opaque font ',9'
set ylabel 'over-streaming factor, per side'
plot \
  rows(16, 3) using 6:20 with linespoints lw 2 lc rgb '#1f77b4' pt 7 ps 1.0 dt 1 title '16^3', \
  rows(2, 15) using 6:20 with linespoints lw 2 lc rgb '#d62728' pt 5 ps 1.0 dt 1 title '2^15 (Cassandra)', \
  rows(16, 4) using 6:20 with linespoints lw 2 lc rgb '#2ca02c' pt 9 ps 1.0 dt 1 title '16^4', \
  rows(256, 2) using 6:20 with linespoints lw 2 lc rgb '#ff7f0e' pt 6 ps 2.2 dt 2 title '256^2 (same 65 536 leaves as 16^4)', \
  rows(1024, 2) using 6:20 with linespoints lw 2 lc rgb '#9467bd' pt 4 ps 1.2 dt 1 title '1024^2 (Riak)'

set title 'time per diff'
set key bottom right box opaque font ',9'
set ylabel 'µs'
plot \
  rows(16, 3) using 6:9:10:11 with yerrorlines lw 2 lc rgb '#1f77b4' pt 7 ps 1.0 dt 1 title '16^3', \
  rows(2, 15) using 6:9:10:11 with yerrorlines lw 2 lc rgb '#d62728' pt 5 ps 1.0 dt 1 title '2^15 (Cassandra)', \
  rows(16, 4) using 6:9:10:11 with yerrorlines lw 2 lc rgb '#2ca02c' pt 9 ps 1.0 dt 1 title '16^4', \
  rows(256, 2) using 6:9:10:11 with yerrorlines lw 2 lc rgb '#ff7f0e' pt 6 ps 2.2 dt 2 title '256^2 (same 65 536 leaves as 16^4)', \
  rows(1024, 2) using 6:9:10:11 with yerrorlines lw 2 lc rgb '#9467bd' pt 4 ps 1.2 dt 1 title '1024^2 (Riak)'
unset multiplot
