# ring-balance: busiest node over mean, coefficient of variation, and weight error against node count.
# Usage: gnuplot -e "csv='results/ring-balance.csv'; png='results/ring-balance.png'" plots-scripts/ring-balance.gp
# Colours: one per variant, the same in every ring-* plot (none used twice). The key is below the panels.
if (!exists("csv")) csv = 'results/ring-balance.csv'
if (!exists("png")) png = 'results/ring-balance.png'

set datafile separator ','
set terminal pngcairo size 1500,640 noenhanced font ',11'
set output png
set logscale x
set grid xtics ytics mxtics
set xrange [5:20000]
unset key

# Columns: 1 algorithm, 2 nodes, 3 virtual_nodes, 4 weighted, 5 keys, 6 max_over_mean, 7 load_cv, 8 ideal_cv,
# 9 weight_error_max, 11 load_cv_placement_min, 13 load_cv_placement_max (multi-probe only).
# Only rows with at least 100 keys per node: below that, key sampling alone dominates the spread.
rows(a, v, w) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $3 == %d && $4 == %d && $5 / $2 >= 100' '%s'", a, v, w, csv)

set multiplot title 'Load balance over the same 1 M keys (points with at least 100 keys per node)'
set size 0.333, 0.8
set origin 0, 0.16
set title 'busiest node / mean (1.0 = perfect)'
set xlabel 'nodes'
set ylabel 'max / mean keys per node'
set logscale y
plot \
  rows('token-ring', 1, 0) using 2:6 with linespoints lw 2 pt 7 lc rgb '#1f77b4', \
  rows('token-ring', 16, 0) using 2:6 with linespoints lw 2 pt 5 lc rgb '#ff7f0e', \
  rows('token-ring', 160, 0) using 2:6 with linespoints lw 2 pt 9 lc rgb '#2ca02c', \
  rows('ketama', 160, 0) using 2:6 with linespoints lw 2 pt 4 lc rgb '#d62728', \
  rows('jump', 0, 0) using 2:6 with linespoints lw 2 pt 11 lc rgb '#9467bd', \
  rows('rendezvous', 0, 0) using 2:6 with linespoints lw 2 pt 13 lc rgb '#8c564b', \
  rows('maglev', 0, 0) using 2:6 with linespoints lw 2 pt 15 lc rgb '#e377c2', \
  rows('multi-probe', 0, 0) using 2:6 with linespoints lw 2 pt 6 lc rgb '#7f7f7f', \
  rows('bounded-load', 16, 0) using 2:6 with linespoints lw 2 pt 8 lc rgb '#bcbd22', \
  rows('anchor', 0, 0) using 2:6 with linespoints lw 2 pt 10 lc rgb '#17becf'

set origin 0.333, 0.16
set title 'load s.d. / mean (multi-probe: min–max over 5 node placements)'
set ylabel 'coefficient of variation'
plot \
  rows('jump', 0, 0) using 2:8 with lines lw 3 dt 2 lc rgb 'black', \
  rows('token-ring', 16, 0) using 2:7 with linespoints lw 2 pt 5 lc rgb '#ff7f0e', \
  rows('token-ring', 160, 0) using 2:7 with linespoints lw 2 pt 9 lc rgb '#2ca02c', \
  rows('ketama', 160, 0) using 2:7 with linespoints lw 2 pt 4 lc rgb '#d62728', \
  rows('jump', 0, 0) using 2:7 with linespoints lw 2 pt 11 lc rgb '#9467bd', \
  rows('rendezvous', 0, 0) using 2:7 with linespoints lw 2 pt 13 lc rgb '#8c564b', \
  rows('maglev', 0, 0) using 2:7 with linespoints lw 2 pt 15 lc rgb '#e377c2', \
  rows('multi-probe', 0, 0) using 2:7:11:13 with yerrorlines lw 2 pt 6 lc rgb '#7f7f7f', \
  rows('bounded-load', 16, 0) using 2:7 with linespoints lw 2 pt 8 lc rgb '#bcbd22', \
  rows('anchor', 0, 0) using 2:7 with linespoints lw 2 pt 10 lc rgb '#17becf'

set origin 0.666, 0.16
set title 'weighted rows (weights 1, 2, 3): largest share error'
set ylabel 'max |share / target share − 1|'
plot \
  rows('ketama', 160, 1) using 2:9 with linespoints lw 2 pt 4 dt 3 lc rgb '#d62728', \
  rows('rendezvous', 0, 1) using 2:9 with linespoints lw 2 pt 13 dt 3 lc rgb '#8c564b'

# The key, on its own strip below the panels.
set origin 0, 0
set size 1, 0.12
unset border; unset tics; unset xlabel; unset ylabel; unset title; unset grid; unset logscale
set xrange [0:1]
set yrange [0:1]
set key center center horizontal maxrows 2 font ',10' samplen 3
plot NaN with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'token ring, 1 vnode', \
     NaN with linespoints lw 2 pt 5 lc rgb '#ff7f0e' title 'token ring, 16 vnodes', \
     NaN with linespoints lw 2 pt 9 lc rgb '#2ca02c' title 'token ring, 160 vnodes', \
     NaN with linespoints lw 2 pt 4 lc rgb '#d62728' title 'ketama (dotted: weighted)', \
     NaN with linespoints lw 2 pt 11 lc rgb '#9467bd' title 'jump', \
     NaN with linespoints lw 2 pt 13 lc rgb '#8c564b' title 'rendezvous (dotted: weighted)', \
     NaN with linespoints lw 2 pt 15 lc rgb '#e377c2' title 'maglev', \
     NaN with linespoints lw 2 pt 6 lc rgb '#7f7f7f' title 'multi-probe (21 probes)', \
     NaN with linespoints lw 2 pt 8 lc rgb '#bcbd22' title 'bounded loads (eps 0.25)', \
     NaN with linespoints lw 2 pt 10 lc rgb '#17becf' title 'anchor', \
     NaN with lines lw 3 dt 2 lc rgb 'black' title 'uniform random placement (ideal_cv)'
unset multiplot
