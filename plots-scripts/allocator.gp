# allocator: threaded-runtime throughput (left) and p99 latency (right) against client threads,
# glibc malloc against jemalloc (LD_PRELOAD). Error bars: fastest and slowest sample.
# Usage: gnuplot -e "csv='results/allocator.csv'; png='results/allocator.png'" plots-scripts/allocator.gp
if (!exists("csv")) csv = 'results/allocator.csv'
if (!exists("png")) png = 'results/allocator.png'

set datafile separator ','
set terminal pngcairo size 1300,550 noenhanced font ',10'
set output png
set multiplot layout 1,2 title 'Allocator: system malloc against jemalloc (threaded runtime, Dynamo N=3 R=W=2, 200 000 ops/s offered)'
set logscale x 2
set xrange [0.8:10]
set grid xtics ytics
set xlabel 'client threads'
set key top left box opaque font ',9'

# Columns: 1 allocator, 3 client_threads, 6-8 throughput median/min/max, 9-11 p99 median/min/max.
rows(a) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\"' '%s'", a, csv)

set title 'throughput'
set ylabel 'completed operations per second'
plot for [a in "system jemalloc"] rows(a) using 3:6:7:8 with yerrorlines lw 2 pt 7 ps 1.2 title a
set title 'p99 latency (from intended start)'
set ylabel 'ms'
set logscale y
plot for [a in "system jemalloc"] rows(a) using 3:9:10:11 with yerrorlines lw 2 pt 7 ps 1.2 title a
unset multiplot
