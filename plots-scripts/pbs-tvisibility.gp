# pbs-tvisibility: P(stale read) = 1 − P(consistent) against ms after commit, one panel per latency preset.
# Usage: gnuplot -e "csv='results/pbs-tvisibility.csv'; png='results/pbs-tvisibility.png'" plots-scripts/pbs-tvisibility.gp
# Lines are Monte Carlo estimates (WARS model, N=3) on a log axis, so the tail near p = 0.999 is
# readable; the dashed line is 1 − 0.999. Where a curve crosses it is the t-visibility: CAPLab's
# estimate is drawn there with its 95 % interval, the PBS paper's figure (Table 4) as a cross.
# The t = 0 row is left out of the log axis, and so are points where no trial was stale.
if (!exists("csv")) csv = 'results/pbs-tvisibility.csv'
if (!exists("png")) png = 'results/pbs-tvisibility.png'

set datafile separator ','
set terminal pngcairo size 1300,1000 noenhanced font ',10'
set output png
set multiplot title 'PBS t-visibility: P(a read misses the last write) against time after commit (N = 3, WARS Monte Carlo, 10^6 trials)'
set logscale x
set logscale y
set xrange [0.01:10000]
set yrange [1e-6:1]
set ytics ('1' 1, '0.1' 0.1, '0.01' 0.01, '0.001' 0.001, '1e-4' 1e-4, '1e-5' 1e-5, '1e-6' 1e-6)
set grid xtics ytics mxtics
set xlabel 'ms after commit'
set ylabel '1 − P(consistent)'
unset key

# Columns: 1 model, 3 r, 4 w, 6 t_ms, 7 p_consistent, 10 t_visibility_999_ms, 11/12 its 95 % interval,
# 13 paper_t_visibility_999_ms.
rows(m, r, w) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $3 == %d && $4 == %d && $6 > 0 && $7 < 1' '%s'", m, r, w, csv)
tv(m, r, w) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $3 == %d && $4 == %d && $10 > 0 && !seen++' '%s'", m, r, w, csv)
paper(m, r, w) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $3 == %d && $4 == %d && $13 != \"\" && !seen++' '%s'", m, r, w, csv)

panel = 0
do for [m in "lnkd-ssd lnkd-disk ymmr wan"] {
  set size 0.5, 0.44
  set origin (panel % 2) * 0.5, 0.06 + (1 - panel / 2) * 0.45
  panel = panel + 1
  set title m
  plot 1e-3 with lines dt 2 lw 1.5 lc rgb 'black', \
       rows(m, 1, 1) using 6:(1 - $7) with lines lw 2 lc rgb '#1f77b4', \
       rows(m, 1, 2) using 6:(1 - $7) with lines lw 2 lc rgb '#d62728', \
       rows(m, 2, 1) using 6:(1 - $7) with lines lw 2 lc rgb '#2ca02c', \
       tv(m, 1, 1) using 10:(1e-3):11:12 with xerrorbars pt 7 ps 1.2 lc rgb '#1f77b4', \
       tv(m, 1, 2) using 10:(1e-3):11:12 with xerrorbars pt 7 ps 1.2 lc rgb '#d62728', \
       tv(m, 2, 1) using 10:(1e-3):11:12 with xerrorbars pt 7 ps 1.2 lc rgb '#2ca02c', \
       paper(m, 1, 1) using 13:(1e-3) with points pt 2 ps 2.5 lw 2 lc rgb '#1f77b4', \
       paper(m, 2, 1) using 13:(1e-3) with points pt 2 ps 2.5 lw 2 lc rgb '#2ca02c'
}

# The key, on its own strip below the panels.
set origin 0, 0
set size 1, 0.06
unset border; unset tics; unset xlabel; unset ylabel; unset title; unset grid; unset logscale
set xrange [0:1]
set yrange [0:1]
set key center center horizontal maxrows 1 font ',10' samplen 3
plot NaN with lines lw 2 lc rgb '#1f77b4' title 'R=1 W=1', \
     NaN with lines lw 2 lc rgb '#d62728' title 'R=1 W=2', \
     NaN with lines lw 2 lc rgb '#2ca02c' title 'R=2 W=1', \
     NaN with lines dt 2 lw 1.5 lc rgb 'black' title 'p = 0.999', \
     NaN with points pt 7 lc rgb 'black' title 't-visibility (95 % interval)', \
     NaN with points pt 2 ps 2 lw 2 lc rgb 'black' title 'PBS paper, Table 4'
unset multiplot
