# raftlog-group-commit: appends/s and p99 latency against concurrent appenders, fsync against group commit.
# Usage: gnuplot -e "csv='results/raftlog-group-commit.csv'; png='results/raftlog-group-commit.png'" plots-scripts/raftlog-group-commit.gp
# Left: medians with min–max error bars; the dashed line is one append per median fdatasync (same run).
if (!exists("csv")) csv = 'results/raftlog-group-commit.csv'
if (!exists("png")) png = 'results/raftlog-group-commit.png'

set datafile separator ','
set terminal pngcairo size 1300,560 noenhanced font ',11'
set output png
set logscale x 2
set logscale y
set grid xtics ytics mytics
set xrange [0.8:20]
set xlabel 'concurrent appenders'
set key top left box opaque

# Columns: 1 policy, 2 appenders, 5 appends_s_median, 6 min, 7 max, 9 latency_us_p99, 11 fdatasync_us_median.
rows(p) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\"' '%s'", p, csv)

set multiplot layout 1,2 title 'WAL appends with concurrent appenders (256-byte entries)'
set title 'throughput'
set ylabel 'appends per second'
plot rows('fsync') using 2:5:6:7 with yerrorlines lw 2 pt 7 title 'fsync (each append syncs)', \
     rows('group') using 2:5:6:7 with yerrorlines lw 2 pt 5 title 'group commit', \
     rows('fsync') using 2:(1e6 / $11) with lines dt 2 lw 2 lc rgb 'black' title '1 append per fdatasync'
set title 'latency'
set ylabel 'p99 append latency (µs)'
plot rows('fsync') using 2:9 with linespoints lw 2 pt 7 title 'fsync', \
     rows('group') using 2:9 with linespoints lw 2 pt 5 title 'group commit'
unset multiplot
