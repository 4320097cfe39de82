# clock-merge: ns per merge into an existing clock against entries per clock.
# Usage: gnuplot -e "csv='results/clock-merge.csv'; png='results/clock-merge.png'" plots-scripts/clock-merge.gp
# Points are medians; error bars span the fastest and slowest sample.
# Solid lines: 10 % of entries differ. Dashed: sparse at 1 % and 100 %.
if (!exists("csv")) csv = 'results/clock-merge.csv'
if (!exists("png")) png = 'results/clock-merge.png'
set datafile separator ','
set terminal pngcairo size 1000,640 noenhanced font ',11'
set output png
set title 'Vector-clock merge into an existing clock (median, min–max over samples)'
set xlabel 'entries per clock'
set ylabel 'ns per merge'
set logscale x
set logscale y
set grid xtics ytics mxtics mytics
set key top left box opaque
set xrange [2:6000]

# Columns: 1 representation, 2 entries, 3 differ_percent, 7 median, 8 min, 9 max.
rows(r, p) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $3 == %d' '%s'", r, p, csv)

plot \
  rows('dictionary', 10) using 2:7:8:9 with yerrorlines lw 2 pt 9 title 'dictionary', \
  rows('sparse', 10) using 2:7:8:9 with yerrorlines lw 2 pt 5 title 'sparse', \
  rows('dense', 10) using 2:7:8:9 with yerrorlines lw 2 pt 7 title 'dense', \
  rows('c-loop', 10) using 2:7:8:9 with yerrorlines lw 2 pt 11 lc rgb 'black' title 'C element-wise max (limit)', \
  rows('sparse', 1) using 2:7 with linespoints dt 2 lw 1 pt 4 lc rgb 'dark-green' title 'sparse, 1 % differ', \
  rows('sparse', 100) using 2:7 with linespoints dt 3 lw 1 pt 6 lc rgb 'dark-green' title 'sparse, 100 % differ'
