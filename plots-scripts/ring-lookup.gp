# ring-lookup: ns per lookup (key hash + node selection) against node count.
# Colours: one per variant, the same in every ring-* plot (none used twice).
# Usage: gnuplot -e "csv='results/ring-lookup.csv'; png='results/ring-lookup.png'" plots-scripts/ring-lookup.gp
# Points are medians; error bars span the fastest and slowest sample.
if (!exists("csv")) csv = 'results/ring-lookup.csv'
if (!exists("png")) png = 'results/ring-lookup.png'

set datafile separator ','
set terminal pngcairo size 1000,640 noenhanced font ',11'
set output png
set title 'Consistent-hash lookup cost (median, min–max over samples)'
set xlabel 'nodes'
set ylabel 'ns per lookup (xxHash64 of key + node selection)'
set logscale x
set logscale y
set grid xtics ytics mxtics
set key top left box opaque
set xrange [5:*]

# Columns: 1 algorithm, 2 nodes, 3 virtual_nodes, 6 lookup_ns_median, 7 lookup_ns_min, 8 lookup_ns_max.
# Each series is the rows of one variant, selected with awk so lines join its points.
rows(a, v) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $3 == %d' '%s'", a, v, csv)

plot \
  rows('token-ring', 1) using 2:6:7:8 with yerrorlines lw 2 pt 7 lc rgb '#1f77b4' title 'token ring, 1 vnode', \
  rows('token-ring', 16) using 2:6:7:8 with yerrorlines lw 2 pt 5 lc rgb '#ff7f0e' title 'token ring, 16 vnodes', \
  rows('token-ring', 160) using 2:6:7:8 with yerrorlines lw 2 pt 9 lc rgb '#2ca02c' title 'token ring, 160 vnodes', \
  rows('ketama', 160) using 2:6:7:8 with yerrorlines lw 2 pt 4 lc rgb '#d62728' title 'ketama (160 points)', \
  rows('jump', 0) using 2:6:7:8 with yerrorlines lw 2 pt 11 lc rgb '#9467bd' title 'jump', \
  rows('rendezvous', 0) using 2:6:7:8 with yerrorlines lw 2 pt 13 lc rgb '#8c564b' title 'rendezvous', \
  rows('maglev', 0) using 2:6:7:8 with yerrorlines lw 2 pt 15 lc rgb '#e377c2' title 'maglev', \
  rows('multi-probe', 0) using 2:6:7:8 with yerrorlines lw 2 pt 6 lc rgb '#7f7f7f' title 'multi-probe (21 probes)', \
  rows('bounded-load', 16) using 2:6:7:8 with yerrorlines lw 2 pt 8 lc rgb '#bcbd22' title 'bounded loads (eps 0.25)', \
  rows('anchor', 0) using 2:6:7:8 with yerrorlines lw 2 pt 10 lc rgb '#17becf' title 'anchor (capacity 2n)'
