# pbs-tvisibility: P(consistent read) against ms after commit, one panel per latency preset.
# Usage: gnuplot -e "csv='results/pbs-tvisibility.csv'; png='results/pbs-tvisibility.png'" plots-scripts/pbs-tvisibility.gp
# Lines are Monte Carlo estimates (WARS model, N=3); the t = 0 row is left out of the log axis.
if (!exists("csv")) csv = 'results/pbs-tvisibility.csv'
if (!exists("png")) png = 'results/pbs-tvisibility.png'

set datafile separator ','
set terminal pngcairo size 1200,900 noenhanced font ',10'
set output png
set multiplot layout 2,2 title 'PBS t-visibility: P(read sees the last write) against time after commit (N=3, WARS Monte Carlo)'
set logscale x
set xrange [0.01:10000]
set yrange [0.3:1.02]
set grid xtics ytics mxtics
set xlabel 'ms after commit'
set ylabel 'P(consistent)'
set key bottom right box opaque

# Columns: 1 model, 3 r, 4 w, 6 t_ms, 7 p_consistent.
rows(m, r, w) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $3 == %d && $4 == %d && $6 > 0' '%s'", m, r, w, csv)

do for [m in "lnkd-ssd lnkd-disk ymmr wan"] {
  set title m
  plot rows(m, 1, 1) using 6:7 with lines lw 2 title 'R=1 W=1', \
       rows(m, 1, 2) using 6:7 with lines lw 2 title 'R=1 W=2', \
       rows(m, 2, 1) using 6:7 with lines lw 2 title 'R=2 W=1'
}
unset multiplot
