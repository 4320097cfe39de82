# ring-build: build time (left) and lookup-structure bytes (right) against node count.
# Colours: one per variant, the same in every ring-* plot (none used twice).
# Usage: gnuplot -e "csv='results/ring-build.csv'; png='results/ring-build.png'" plots-scripts/ring-build.gp
if (!exists("csv")) csv = 'results/ring-build.csv'
if (!exists("png")) png = 'results/ring-build.png'

set datafile separator ','
set terminal pngcairo size 1400,640 noenhanced font ',11'
set output png
set logscale x
set logscale y
set grid xtics ytics mxtics
set xrange [5:*]
set xlabel 'nodes'

# Columns: 1 algorithm, 2 nodes, 3 virtual_nodes, 5 build_ms_median, 6 build_ms_min, 7 build_ms_max, 8 memory_bytes.
rows(a, v) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $3 == %d' '%s'", a, v, csv)
nz(a, v) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $3 == %d && $8 > 0' '%s'", a, v, csv)

set multiplot layout 1,2 title 'Building a placement for n nodes'
set title 'build time (median, min–max)'
set ylabel 'ms'
set key top left box opaque font ',9'
plot \
  rows('token-ring', 16) using 2:5:6:7 with yerrorlines lw 2 pt 5 lc rgb '#ff7f0e' title 'token ring, 16 vnodes', \
  rows('token-ring', 160) using 2:5:6:7 with yerrorlines lw 2 pt 9 lc rgb '#2ca02c' title 'token ring, 160 vnodes', \
  rows('ketama', 160) using 2:5:6:7 with yerrorlines lw 2 pt 4 lc rgb '#d62728' title 'ketama (MD5 points)', \
  rows('jump', 0) using 2:5:6:7 with yerrorlines lw 2 pt 11 lc rgb '#9467bd' title 'jump', \
  rows('rendezvous', 0) using 2:5:6:7 with yerrorlines lw 2 pt 13 lc rgb '#8c564b' title 'rendezvous', \
  rows('maglev', 0) using 2:5:6:7 with yerrorlines lw 2 pt 15 lc rgb '#e377c2' title 'maglev (M = max(65537, 100n) prime)', \
  rows('multi-probe', 0) using 2:5:6:7 with yerrorlines lw 2 pt 6 lc rgb '#7f7f7f' title 'multi-probe', \
  rows('bounded-load', 16) using 2:5:6:7 with yerrorlines lw 2 pt 8 lc rgb '#bcbd22' title 'bounded loads', \
  rows('anchor', 0) using 2:5:6:7 with yerrorlines lw 2 pt 10 lc rgb '#17becf' title 'anchor (capacity 2n)'

set title 'lookup-structure memory (jump: none)'
set ylabel 'bytes'
plot \
  nz('token-ring', 16) using 2:8 with linespoints lw 2 pt 5 lc rgb '#ff7f0e' title 'token ring, 16 vnodes', \
  nz('token-ring', 160) using 2:8 with linespoints lw 2 pt 9 lc rgb '#2ca02c' title 'token ring, 160 vnodes', \
  nz('ketama', 160) using 2:8 with linespoints lw 2 pt 4 lc rgb '#d62728' title 'ketama', \
  nz('rendezvous', 0) using 2:8 with linespoints lw 2 pt 13 lc rgb '#8c564b' title 'rendezvous', \
  nz('maglev', 0) using 2:8 with linespoints lw 2 pt 15 lc rgb '#e377c2' title 'maglev', \
  nz('multi-probe', 0) using 2:8 with linespoints lw 2 pt 6 lc rgb '#7f7f7f' title 'multi-probe', \
  nz('bounded-load', 16) using 2:8 with linespoints lw 2 pt 8 lc rgb '#bcbd22' title 'bounded loads', \
  nz('anchor', 0) using 2:8 with linespoints lw 2 pt 10 lc rgb '#17becf' title 'anchor'
unset multiplot
