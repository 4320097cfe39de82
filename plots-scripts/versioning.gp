# versioning: LWW against vector clocks with siblings as node clocks drift apart (N=3, lnkd-ssd).
# Usage: gnuplot -e "csv='results/versioning.csv'; png='results/versioning.png'" plots-scripts/versioning.gp
# Clock skew 0 is drawn at 0.1 ms on the log axis.
if (!exists("csv")) csv = 'results/versioning.csv'
if (!exists("png")) png = 'results/versioning.png'

set datafile separator ','
set terminal pngcairo size 1300,960 noenhanced font ',10'
set output png
set multiplot title 'Last writer wins or siblings? (simulated Dynamo cluster, N = 3, R = W = 2, lnkd-ssd, 50 % writes, zipfian keys)'
set logscale x
set xrange [0.07:150]
set xtics ("0" 0.1, "1" 1, "10" 10, "100" 100)
set xlabel 'max clock skew per node, ms'
set grid xtics ytics
# One key for every panel, below them (see the first panel).
unset key

# Columns: 1 versioning, 2 clock_skew_ms, 4 r, 6 condition, 7 put, 10 lost_write_fraction, 11 siblings_per_read, 14 stale_fraction.
# R = W = 2 only (R = W = 1 rows are in the CSV).
rows(v, p, c) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $7 == \"%s\" && $4 == 2 && $6 == \"%s\"' '%s'", v, p, c, csv)
x(s) = s > 0 ? s : 0.1

panel = 0
do for [c in "healthy partitioned"] {
  do for [m in "10 11 14"] {
    col = int(m)
    set size 0.333, 0.43
    set origin (panel % 3) * 0.333, 0.08 + (1 - panel / 3) * 0.44
    panel = panel + 1
    set title sprintf('%s: %s', c, col == 10 ? 'acknowledged writes lost' : (col == 11 ? 'values per read' : 'stale reads'))
    set ylabel (col == 10 ? 'lost writes per acknowledged write' : (col == 11 ? 'values per successful read that found the key' : 'stale fraction of successful reads'))
    # Fractions: from 0 (drawn a little above the border, so a series at 0 is
    # seen as 0) to the largest value of this condition, or to 0.01 when all are 0.
    set yrange [*:*]
    stats [*:*] sprintf("< awk -F, 'NR > 1 && $4 == 2 && $6 == \"%s\"' '%s'", c, csv) using col nooutput
    top = STATS_max > 0 ? STATS_max * 1.08 : (col == 11 ? 1.5 : 0.01)
    set yrange [-0.04 * top : top]
    set xzeroaxis lt -1 lw 1
    plot rows('lww', 'last-read', c) using (x($2)):col with linespoints pt 7 lc 1 title 'LWW', \
         rows('lww', 'get-then-put', c) using (x($2)):col with linespoints pt 5 lc 2 dt 2 title 'LWW, get-then-put', \
         rows('vector-clocks', 'last-read', c) using (x($2)):col with linespoints pt 6 lc 3 title 'vector clocks, put with last-read context', \
         rows('vector-clocks', 'get-then-put', c) using (x($2)):col with linespoints pt 4 lc 4 dt 2 title 'vector clocks, get-then-put'
  }
}
# The key, on its own strip below the panels.
set origin 0, 0
set size 1, 0.07
unset border; unset tics; unset xlabel; unset ylabel; unset title; unset grid; unset xzeroaxis; unset logscale x
set xrange [0:1]
set yrange [0:1]
set key center center horizontal maxrows 1 font ',10' samplen 3
plot NaN with linespoints pt 7 lc 1 title 'LWW', \
     NaN with linespoints pt 5 lc 2 dt 2 title 'LWW, get-then-put', \
     NaN with linespoints pt 6 lc 3 title 'vector clocks, put with last-read context', \
     NaN with linespoints pt 4 lc 4 dt 2 title 'vector clocks, get-then-put'
unset multiplot
