# ring-disruption: fraction of keys moved when a node leaves (mean over evenly spaced removed nodes) or joins, against the ideal.
# Colours: one per variant, the same in every ring-* plot (none used twice).
# Usage: gnuplot -e "csv='results/ring-disruption.csv'; png='results/ring-disruption.png'" plots-scripts/ring-disruption.gp
if (!exists("csv")) csv = 'results/ring-disruption.csv'
if (!exists("png")) png = 'results/ring-disruption.png'

set datafile separator ','
set terminal pngcairo size 1400,640 noenhanced font ',11'
set output png
set logscale x
set logscale y
set grid xtics ytics mxtics
set xrange [5:*]
set xlabel 'nodes before the change'

# Columns: 1 algorithm, 2 nodes, 3 virtual_nodes, 6 remove_moved_fraction, 7 remove_ideal_fraction,
# 9 add_moved_fraction, 10 add_ideal_fraction, 13 remove_moved_fraction_mean, 16 remove_last_moved_fraction.
rows(a, v) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $3 == %d' '%s'", a, v, csv)

set multiplot layout 1,2 title 'Keys moved by one membership change (ideal: the changed node''s fair share)'
set title 'one node removed (mean over min(n, 8) evenly spaced nodes)'
set ylabel 'fraction of keys moved'
set key bottom left box opaque font ',9'
plot \
  rows('jump', 0) using 2:7 with lines lw 3 dt 2 lc rgb 'black' title 'ideal 1/n', \
  rows('token-ring', 16) using 2:13 with linespoints lw 2 pt 5 lc rgb '#ff7f0e' title 'token ring, 16 vnodes', \
  rows('token-ring', 160) using 2:13 with linespoints lw 2 pt 9 lc rgb '#2ca02c' title 'token ring, 160 vnodes', \
  rows('ketama', 160) using 2:13 with linespoints lw 2 pt 4 lc rgb '#d62728' title 'ketama', \
  rows('jump', 0) using 2:13 with linespoints lw 2 pt 11 lc rgb '#9467bd' title 'jump (renumbers after the removed node)', \
  rows('jump', 0) using 2:16 with linespoints lw 2 dt 3 pt 11 lc rgb '#9467bd' title 'jump, last node removed', \
  rows('rendezvous', 0) using 2:13 with linespoints lw 2 pt 13 lc rgb '#8c564b' title 'rendezvous', \
  rows('maglev', 0) using 2:13 with linespoints lw 2 pt 15 lc rgb '#e377c2' title 'maglev', \
  rows('multi-probe', 0) using 2:13 with linespoints lw 2 pt 6 lc rgb '#7f7f7f' title 'multi-probe', \
  rows('bounded-load', 16) using 2:13 with linespoints lw 2 pt 8 lc rgb '#bcbd22' title 'bounded loads', \
  rows('anchor', 0) using 2:13 with linespoints lw 2 pt 10 lc rgb '#17becf' title 'anchor'

set title 'one node added'
plot \
  rows('jump', 0) using 2:10 with lines lw 3 dt 2 lc rgb 'black' title 'ideal 1/(n+1)', \
  rows('token-ring', 16) using 2:9 with linespoints lw 2 pt 5 lc rgb '#ff7f0e' title 'token ring, 16 vnodes', \
  rows('token-ring', 160) using 2:9 with linespoints lw 2 pt 9 lc rgb '#2ca02c' title 'token ring, 160 vnodes', \
  rows('ketama', 160) using 2:9 with linespoints lw 2 pt 4 lc rgb '#d62728' title 'ketama', \
  rows('jump', 0) using 2:9 with linespoints lw 2 pt 11 lc rgb '#9467bd' title 'jump', \
  rows('rendezvous', 0) using 2:9 with linespoints lw 2 pt 13 lc rgb '#8c564b' title 'rendezvous', \
  rows('maglev', 0) using 2:9 with linespoints lw 2 pt 15 lc rgb '#e377c2' title 'maglev', \
  rows('multi-probe', 0) using 2:9 with linespoints lw 2 pt 6 lc rgb '#7f7f7f' title 'multi-probe', \
  rows('bounded-load', 16) using 2:9 with linespoints lw 2 pt 8 lc rgb '#bcbd22' title 'bounded loads', \
  rows('anchor', 0) using 2:9 with linespoints lw 2 pt 10 lc rgb '#17becf' title 'anchor'
unset multiplot
