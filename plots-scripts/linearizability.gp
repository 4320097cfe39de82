# linearizability: fraction of threaded-run histories (left) and keys (right) that are not
# linearizable, against the measured write concurrency, one line per quorum variant (N = 3).
# Usage: gnuplot -e "csv='results/linearizability.csv'; png='results/linearizability.png'" plots-scripts/linearizability.gp
if (!exists("csv")) csv = 'results/linearizability.csv'
if (!exists("png")) png = 'results/linearizability.png'

set datafile separator ','
set terminal pngcairo size 1300,550 noenhanced font ',10'
set output png
set multiplot layout 1,2 title 'Linearizability of real-time quorum runs (N = 3, lnkd-disk delays, 4 hot keys, 2 client + 2 replica threads)'
set logscale x
set grid xtics ytics
set xlabel 'measured writes in flight per key (rate calibrated per variant)'
set yrange [-0.05:1.05]
set key bmargin center horizontal box font ',9'
set bmargin 7
set xrange [0.2:10]
variants = "r1w1 r2w2 r2w2-background-repair r2w2-read-repair abd"

# Columns: 1 variant, 8 write_concurrency, 11 history_violation_fraction, 14 key_violation_fraction.
rows(v) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\"' '%s' | sort -t, -g -k8", v, csv)

set title 'histories with a violation'
set ylabel 'fraction of histories not linearizable'
plot for [i=1:5] rows(word(variants, i)) using 8:11 with linespoints lw 2 pt (4 + 2 * i) ps 1.4 dt i title word(variants, i)
set title 'keys with a violation'
set ylabel 'fraction of key histories not linearizable'
plot for [i=1:5] rows(word(variants, i)) using 8:14 with linespoints lw 2 pt (4 + 2 * i) ps 1.4 dt i title word(variants, i)
unset multiplot
