# partition: availability against consistency while nodes 0 and 1 are cut off (N=3), per strategy and preset.
# Usage: gnuplot -e "csv='results/partition.csv'; png='results/partition.png'" plots-scripts/partition.gp
# Marker shape: strategy. Colour: latency preset, drawn as open markers of decreasing size, so
# presets that land on the same point show as concentric rings. No text labels.
if (!exists("csv")) csv = 'results/partition.csv'
if (!exists("png")) png = 'results/partition.png'

set datafile separator ','
set terminal pngcairo size 1100,720 noenhanced font ',11'
set output png
set title 'CAP during a partition: failed requests against stale reads (requests arriving during the partition)'
set xlabel 'fraction of requests failed (unavailable)'
set ylabel 'fraction of successful reads stale'
set grid xtics ytics
set key outside right top box
set xrange [-0.02:*]
set yrange [-0.02:*]

# Columns: 1 model, 2 strategy, 8 failed_fraction_in_partition, 9 stale_fraction_in_partition.
rows(s, m) = sprintf("< awk -F, 'NR > 1 && $2 == \"%s\" && $1 == \"%s\"' '%s'", s, m, csv)
models = "lnkd-ssd lnkd-disk ymmr wan"
colour(i) = word("#1f77b4 #d62728 #2ca02c #9467bd", i)
size(i) = 3.6 - 0.8 * (i - 1)

plot for [i = 1:4] rows('strict', word(models, i)) using 8:9 with points pt 6 ps size(i) lw 2 lc rgb colour(i) notitle, \
     for [i = 1:4] rows('partial', word(models, i)) using 8:9 with points pt 4 ps size(i) lw 2 lc rgb colour(i) notitle, \
     for [i = 1:4] rows('sloppy', word(models, i)) using 8:9 with points pt 8 ps size(i) lw 2 lc rgb colour(i) notitle, \
     keyentry with points pt 6 ps 1.5 lw 2 lc rgb 'black' title 'strict R=W=2', \
     keyentry with points pt 4 ps 1.5 lw 2 lc rgb 'black' title 'partial R=W=1', \
     keyentry with points pt 8 ps 1.7 lw 2 lc rgb 'black' title 'sloppy R=W=2 + hinted handoff', \
     for [i = 1:4] keyentry with points pt 7 ps 1.5 lc rgb colour(i) title word(models, i)
