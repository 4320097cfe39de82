# versioning: LWW against vector clocks with siblings as node clocks drift apart (N=3, lnkd-ssd).
# Usage: gnuplot -e "csv='results/versioning.csv'; png='results/versioning.png'" plots-scripts/versioning.gp
# Clock skew 0 is drawn at 0.1 ms on the log axis.
if (!exists("csv")) csv = 'results/versioning.csv'
if (!exists("png")) png = 'results/versioning.png'

set datafile separator ','
set terminal pngcairo size 1300,900 noenhanced font ',10'
set output png
set multiplot layout 2,3 title 'Last writer wins or siblings? (simulated Dynamo cluster, N = 3, lnkd-ssd, 50 % writes, zipfian keys)'
set logscale x
set xrange [0.07:150]
set xtics ("0" 0.1, "1" 1, "10" 10, "100" 100)
set xlabel 'max clock skew per node, ms'
set grid xtics ytics
set key top left box opaque font ',8'

# Columns: 1 versioning, 2 clock_skew_ms, 4 r, 6 condition, 9 lost_write_fraction, 10 siblings_per_read, 13 stale_fraction.
rows(v, r, c) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $4 == %d && $6 == \"%s\"' '%s'", v, r, c, csv)
x(s) = s > 0 ? s : 0.1

do for [c in "healthy partitioned"] {
  set title sprintf('%s: acknowledged writes lost', c)
  set ylabel 'lost writes per acknowledged write'
  set yrange [-0.01:*]
  plot rows('lww', 1, c) using (x($2)):9 with linespoints pt 7 lc 1 title 'LWW R=W=1', \
       rows('lww', 2, c) using (x($2)):9 with linespoints pt 5 lc 2 title 'LWW R=W=2', \
       rows('vector-clocks', 1, c) using (x($2)):9 with linespoints pt 6 lc 3 title 'vector clocks R=W=1', \
       rows('vector-clocks', 2, c) using (x($2)):9 with linespoints pt 4 lc 4 title 'vector clocks R=W=2'
  set title sprintf('%s: values per read', c)
  set ylabel 'values per successful read that found the key'
  set yrange [0:*]
  plot rows('lww', 1, c) using (x($2)):10 with linespoints pt 7 lc 1 title 'LWW R=W=1', \
       rows('lww', 2, c) using (x($2)):10 with linespoints pt 5 lc 2 title 'LWW R=W=2', \
       rows('vector-clocks', 1, c) using (x($2)):10 with linespoints pt 6 lc 3 title 'vector clocks R=W=1', \
       rows('vector-clocks', 2, c) using (x($2)):10 with linespoints pt 4 lc 4 title 'vector clocks R=W=2'
  set title sprintf('%s: stale reads', c)
  set ylabel 'stale fraction of successful reads'
  set yrange [0:*]
  plot rows('lww', 1, c) using (x($2)):13 with linespoints pt 7 lc 1 title 'LWW R=W=1', \
       rows('lww', 2, c) using (x($2)):13 with linespoints pt 5 lc 2 title 'LWW R=W=2', \
       rows('vector-clocks', 1, c) using (x($2)):13 with linespoints pt 6 lc 3 title 'vector clocks R=W=1', \
       rows('vector-clocks', 2, c) using (x($2)):13 with linespoints pt 4 lc 4 title 'vector clocks R=W=2'
}
unset multiplot
