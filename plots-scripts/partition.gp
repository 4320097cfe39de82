# partition: availability against consistency while nodes 0 and 1 are cut off (N=3), per strategy and preset.
# Usage: gnuplot -e "csv='results/partition.csv'; png='results/partition.png'" plots-scripts/partition.gp
if (!exists("csv")) csv = 'results/partition.csv'
if (!exists("png")) png = 'results/partition.png'

set datafile separator ','
set terminal pngcairo size 1000,700 noenhanced font ',11'
set output png
set title 'CAP during a partition: failed requests against stale reads (requests arriving during the partition)'
set xlabel 'fraction of requests failed (unavailable)'
set ylabel 'fraction of successful reads stale'
set grid xtics ytics
set key outside right box
set xrange [-0.02:*]
set yrange [-0.02:*]

# Columns: 1 model, 2 strategy, 8 failed_fraction_in_partition, 9 stale_fraction_in_partition.
rows(s) = sprintf("< awk -F, 'NR > 1 && $2 == \"%s\"' '%s'", s, csv)

plot rows('strict') using 8:9:1 with labels point pt 7 ps 1.5 lc 1 offset 1,0.6 font ',8' title 'strict R=W=2', \
     rows('partial') using 8:9:1 with labels point pt 5 ps 1.5 lc 2 offset 1,0.6 font ',8' title 'partial R=W=1', \
     rows('sloppy') using 8:9:1 with labels point pt 9 ps 1.5 lc 3 offset 1,-0.6 font ',8' title 'sloppy R=W=2 + hinted handoff'
