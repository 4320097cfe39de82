# ring-disruption: fraction of keys moved when a random node leaves, against the ideal 1/n.
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
# 9 add_moved_fraction, 10 add_ideal_fraction.
rows(a, v) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $3 == %d' '%s'", a, v, csv)

set multiplot layout 1,2 title 'Keys moved by one membership change (ideal: the changed node''s fair share)'
set title 'one random node removed'
set ylabel 'fraction of keys moved'
set key bottom left box opaque font ',9'
plot \
  rows('jump', 0) using 2:7 with lines lw 3 dt 2 lc rgb 'black' title 'ideal 1/n', \
  rows('token-ring', 16) using 2:6 with linespoints lw 2 pt 5 title 'token ring, 16 vnodes', \
  rows('token-ring', 160) using 2:6 with linespoints lw 2 pt 9 title 'token ring, 160 vnodes', \
  rows('ketama', 160) using 2:6 with linespoints lw 2 pt 4 title 'ketama', \
  rows('jump', 0) using 2:6 with linespoints lw 2 pt 11 title 'jump (renumbers after the removed node)', \
  rows('rendezvous', 0) using 2:6 with linespoints lw 2 pt 13 title 'rendezvous', \
  rows('maglev', 0) using 2:6 with linespoints lw 2 pt 15 title 'maglev', \
  rows('multi-probe', 0) using 2:6 with linespoints lw 2 pt 6 title 'multi-probe', \
  rows('bounded-load', 16) using 2:6 with linespoints lw 2 pt 8 title 'bounded loads', \
  rows('anchor', 0) using 2:6 with linespoints lw 2 pt 10 title 'anchor'

set title 'one node added'
plot \
  rows('jump', 0) using 2:10 with lines lw 3 dt 2 lc rgb 'black' title 'ideal 1/(n+1)', \
  rows('token-ring', 16) using 2:9 with linespoints lw 2 pt 5 title 'token ring, 16 vnodes', \
  rows('token-ring', 160) using 2:9 with linespoints lw 2 pt 9 title 'token ring, 160 vnodes', \
  rows('ketama', 160) using 2:9 with linespoints lw 2 pt 4 title 'ketama', \
  rows('jump', 0) using 2:9 with linespoints lw 2 pt 11 title 'jump', \
  rows('rendezvous', 0) using 2:9 with linespoints lw 2 pt 13 title 'rendezvous', \
  rows('maglev', 0) using 2:9 with linespoints lw 2 pt 15 title 'maglev', \
  rows('multi-probe', 0) using 2:9 with linespoints lw 2 pt 6 title 'multi-probe', \
  rows('bounded-load', 16) using 2:9 with linespoints lw 2 pt 8 title 'bounded loads', \
  rows('anchor', 0) using 2:9 with linespoints lw 2 pt 10 title 'anchor'
unset multiplot
