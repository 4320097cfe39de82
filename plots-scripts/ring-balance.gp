# ring-balance: busiest node over mean (left) and weight error (right) against node count.
# Usage: gnuplot -e "csv='results/ring-balance.csv'; png='results/ring-balance.png'" plots-scripts/ring-balance.gp
if (!exists("csv")) csv = 'results/ring-balance.csv'
if (!exists("png")) png = 'results/ring-balance.png'

set datafile separator ','
set terminal pngcairo size 1400,640 noenhanced font ',11'
set output png
set logscale x
set grid xtics ytics mxtics
set xrange [5:*]

# Columns: 1 algorithm, 2 nodes, 3 virtual_nodes, 4 weighted, 5 keys, 6 max_over_mean, 7 load_cv, 8 ideal_cv, 9 weight_error_max.
# Only rows with at least 100 keys per node: below that, key sampling alone dominates the spread.
rows(a, v, w) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $3 == %d && $4 == %d && $5 / $2 >= 100' '%s'", a, v, w, csv)

set multiplot layout 1,2 title 'Load balance over the same 1 M keys (points with at least 100 keys per node)'
set title 'busiest node / mean (1.0 = perfect)'
set xlabel 'nodes'
set ylabel 'max / mean keys per node'
set logscale y
set key top left box opaque font ',9'
plot \
  rows('token-ring', 1, 0) using 2:6 with linespoints lw 2 pt 7 title 'token ring, 1 vnode', \
  rows('token-ring', 16, 0) using 2:6 with linespoints lw 2 pt 5 title 'token ring, 16 vnodes', \
  rows('token-ring', 160, 0) using 2:6 with linespoints lw 2 pt 9 title 'token ring, 160 vnodes', \
  rows('ketama', 160, 0) using 2:6 with linespoints lw 2 pt 4 title 'ketama', \
  rows('jump', 0, 0) using 2:6 with linespoints lw 2 pt 11 title 'jump', \
  rows('rendezvous', 0, 0) using 2:6 with linespoints lw 2 pt 13 title 'rendezvous', \
  rows('maglev', 0, 0) using 2:6 with linespoints lw 2 pt 15 title 'maglev', \
  rows('multi-probe', 0, 0) using 2:6 with linespoints lw 2 pt 6 title 'multi-probe', \
  rows('bounded-load', 16, 0) using 2:6 with linespoints lw 2 pt 8 title 'bounded loads (eps 0.25)', \
  rows('anchor', 0, 0) using 2:6 with linespoints lw 2 pt 10 title 'anchor'

set title 'coefficient of variation of load, against uniform random placement'
set ylabel 'load s.d. / mean'
plot \
  rows('jump', 0, 0) using 2:8 with lines lw 3 dt 2 lc rgb 'black' title 'uniform random (ideal_cv)', \
  rows('token-ring', 16, 0) using 2:7 with linespoints lw 2 pt 5 title 'token ring, 16 vnodes', \
  rows('token-ring', 160, 0) using 2:7 with linespoints lw 2 pt 9 title 'token ring, 160 vnodes', \
  rows('ketama', 160, 0) using 2:7 with linespoints lw 2 pt 4 title 'ketama', \
  rows('ketama', 160, 1) using 2:9 with linespoints lw 2 pt 4 dt 3 title 'ketama weighted: max weight error', \
  rows('jump', 0, 0) using 2:7 with linespoints lw 2 pt 11 title 'jump', \
  rows('maglev', 0, 0) using 2:7 with linespoints lw 2 pt 15 title 'maglev', \
  rows('multi-probe', 0, 0) using 2:7 with linespoints lw 2 pt 6 title 'multi-probe', \
  rows('bounded-load', 16, 0) using 2:7 with linespoints lw 2 pt 8 title 'bounded loads', \
  rows('rendezvous', 0, 1) using 2:9 with linespoints lw 2 pt 13 dt 3 title 'rendezvous weighted: max weight error'
unset multiplot
