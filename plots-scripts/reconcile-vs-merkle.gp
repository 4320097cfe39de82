# reconcile-vs-merkle: bytes and time of IBLT reconciliation vs Merkle diff shapes against differing keys.
# Usage: gnuplot -e "csv='results/reconcile-vs-merkle.csv'; png='results/reconcile-vs-merkle.png'" plots-scripts/reconcile-vs-merkle.gp
if (!exists("csv")) csv = 'results/reconcile-vs-merkle.csv'
if (!exists("png")) png = 'results/reconcile-vs-merkle.png'

set datafile separator ','
set terminal pngcairo size 1300,560 noenhanced font ',11'
set output png
set multiplot layout 1,2 title 'IBLT + strata estimator vs Merkle diff (XOR, xxHash64), medians over trials'
set logscale x
set logscale y
set grid xtics ytics
set xlabel 'differing keys'
set key top left box opaque font ',9'

# Columns: 1 method, 3 differing_keys, 5/6/7 time us median/min/max, 8 bytes_total_median, 13 best_merkle.
rows(m) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\"' '%s'", m, csv)
best = sprintf("< awk -F, 'NR > 1 && $13 == 1' '%s'", csv)

set title 'bytes both ways'
set ylabel 'bytes'
plot rows('iblt') using 3:8 with linespoints lw 3 pt 7 title 'IBLT', \
  best using 3:8 with linespoints lw 3 pt 5 dt 2 title 'best Merkle shape', \
  for [m in "merkle-16^3 merkle-2^15 merkle-16^4 merkle-1024^2"] rows(m) using 3:8 with linespoints lw 1 title m

set title 'time per reconciliation (IBLT includes building its tables)'
set ylabel 'µs'
plot rows('iblt') using 3:5:6:7 with yerrorlines lw 3 pt 7 title 'IBLT', \
  for [m in "merkle-16^3 merkle-2^15 merkle-16^4 merkle-1024^2"] rows(m) using 3:5:6:7 with yerrorlines lw 1 title m
unset multiplot
