# pacelc: p99 latency against stale-read fraction, one point per (N, R, W), one panel per latency preset.
# Usage: gnuplot -e "csv='results/pacelc.csv'; png='results/pacelc.png'" plots-scripts/pacelc.gp
# Filled points: healthy cluster; open points: node 0 partitioned away. The line joins the
# healthy latency/consistency frontier (max of read and write p99, column frontier = 1).
if (!exists("csv")) csv = 'results/pacelc.csv'
if (!exists("png")) png = 'results/pacelc.png'

set datafile separator ','
set terminal pngcairo size 1300,950 noenhanced font ',10'
set output png
set multiplot layout 2,2 title 'PACELC: else latency or consistency (simulated Dynamo cluster, N = 3 and 5, every R and W)'
set logscale y
set grid xtics ytics
set xlabel 'stale-read fraction'
set ylabel 'p99 latency, ms'
set key top right box opaque font ',8'
set xrange [-0.01:*]

# Columns: 1 model, 6 fault, 9 read_p99_ms, 11 write_p99_ms, 12 stale_fraction, 15 frontier.
rows(m, f) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $6 == \"%s\"' '%s'", m, f, csv)
front(m) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $6 == \"healthy\" && $15 == 1 { print $12 \",\" ($9 > $11 ? $9 : $11) }' '%s' | sort -t, -g -k1", m, csv)

do for [m in "lnkd-ssd lnkd-disk ymmr wan"] {
  set title m
  plot rows(m, 'healthy') using 12:9 with points pt 7 ps 1.1 lc 1 title 'read p99, healthy', \
       rows(m, 'healthy') using 12:11 with points pt 9 ps 1.1 lc 2 title 'write p99, healthy', \
       rows(m, 'partitioned') using 12:9 with points pt 6 ps 1.1 lc 1 title 'read p99, 1 node partitioned', \
       rows(m, 'partitioned') using 12:11 with points pt 8 ps 1.1 lc 2 title 'write p99, 1 node partitioned', \
       front(m) using 1:2 with linespoints lw 2 pt 3 ps 2.5 lc 7 title 'frontier (healthy, max of read/write p99)'
}
unset multiplot
