# clock-size: encoded bytes of causality metadata against entries per clock.
# Usage: gnuplot -e "csv='results/clock-size.csv'; png='results/clock-size.png'" plots-scripts/clock-size.gp
# Solid: one value (no siblings), node ids 0..n-1. Dashed: dense with node ids
# 16 apart. Dotted: 16 siblings (one vector clock per sibling against one DVVSet).
if (!exists("csv")) csv = 'results/clock-size.csv'
if (!exists("png")) png = 'results/clock-size.png'

set datafile separator ','
set terminal pngcairo size 1000,640 noenhanced font ',11'
set output png
set title 'Encoded causality metadata per key'
set xlabel 'entries per clock'
set ylabel 'bytes'
set logscale x
set logscale y
set grid xtics ytics mxtics mytics
set key top left box opaque
set xrange [2:6000]

# Columns: 1 representation, 2 entries, 3 node_spacing, 4 siblings, 5 clock_bytes.
rows(r, s, k) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $3 == %d && $4 == %d' '%s'", r, s, k, csv)

plot \
  rows('dense', 1, 1) using 2:5 with linespoints lw 2 pt 7 title 'dense', \
  rows('sparse', 1, 1) using 2:5 with linespoints lw 2 pt 5 title 'sparse (= dictionary encoding)', \
  rows('dvvset', 1, 1) using 2:5 with linespoints lw 2 pt 9 title 'DVVSet', \
  rows('hlc', 1, 1) using 2:5 with linespoints lw 2 pt 11 title 'HLC (scalar)', \
  rows('lamport', 1, 1) using 2:5 with linespoints lw 2 pt 13 title 'Lamport (scalar)', \
  rows('dense', 16, 1) using 2:5 with linespoints dt 2 lw 1 pt 6 title 'dense, node ids 16 apart', \
  rows('sparse', 1, 16) using 2:5 with linespoints dt 3 lw 1 pt 4 title 'sparse, 16 siblings (clock each)', \
  rows('dvvset', 1, 16) using 2:5 with linespoints dt 3 lw 1 pt 8 title 'DVVSet, 16 siblings'
