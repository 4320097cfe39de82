# raft-vs-etcd: simulated Raft (prediction) / real etcd (measurement) for write and read p50, p99, against one-way peer delay.
# Usage: gnuplot -e "csv='results/raft-vs-etcd.csv'; png='results/raft-vs-etcd.png'" plots-scripts/raft-vs-etcd.gp
# One panel per etcd read mode. Grey bands: the targets (p50 within 1.25x, p99 within 2x).
if (!exists("csv")) csv = 'results/raft-vs-etcd.csv'
if (!exists("png")) png = 'results/raft-vs-etcd.png'

set datafile separator ','
set terminal pngcairo size 1400,560 noenhanced font ',11'
set output png
set multiplot layout 1,2 title 'Simulated Raft / real etcd, N = 3, 50 ops/s (client at a uniformly chosen member)'
set logscale xy
set grid xtics ytics
set xlabel 'one-way peer delay, ms'
set ylabel 'predicted / measured'
set yrange [0.1:10]
set key top right font ',9'

# Columns: 1 delay_ms, 2 etcd_read, 13 ratio_write_p50, 14 ratio_write_p99, 15 ratio_read_p50, 16 ratio_read_p99.
rows(m) = sprintf("< awk -F, 'NR > 1 && $2 == \"%s\"' '%s' | sort -t, -g -k1", m, csv)
do for [m in "linearizable serializable"] {
  set title sprintf('etcd %s reads (simulated %s)', m, m eq 'linearizable' ? 'read_index' : 'follower')
  set object 1 rectangle from graph 0, first 0.8 to graph 1, first 1.25 fillcolor rgb '#dddddd' fillstyle solid noborder behind
  set object 2 rectangle from graph 0, first 0.5 to graph 1, first 2 fillcolor rgb '#f2f2f2' fillstyle solid noborder behind
  plot rows(m) using 1:13 with linespoints lw 2 pt 7 lc rgb '#d62728' title 'write p50', \
       rows(m) using 1:14 with linespoints lw 1.5 dt 2 pt 6 lc rgb '#d62728' title 'write p99', \
       rows(m) using 1:15 with linespoints lw 2 pt 5 lc rgb '#1f77b4' title 'read p50', \
       rows(m) using 1:16 with linespoints lw 1.5 dt 2 pt 4 lc rgb '#1f77b4' title 'read p99', \
       1 with lines lw 1 lc rgb 'black' notitle
}
unset multiplot
