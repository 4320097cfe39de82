# raft-pacelc: what each Raft read mode costs against one-way peer delay (delay rows; the presets are in the pacelc figure).
# Usage: gnuplot -e "csv='results/raft-pacelc.csv'; png='results/raft-pacelc.png'" plots-scripts/raft-pacelc.gp
# Colour: read mode. Solid: N = 3, dashed: N = 5. Grey line: one round trip (2 × one-way delay).
if (!exists("csv")) csv = 'results/raft-pacelc.csv'
if (!exists("png")) png = 'results/raft-pacelc.png'

set datafile separator ','
set terminal pngcairo size 1400,1000 noenhanced font ',11'
set output png
set multiplot layout 2,2 title 'Raft read modes against one-way peer delay (simulated, 1000 ops/s, 50 % writes; solid N = 3, dashed N = 5)'
set logscale x
set grid xtics ytics
set xlabel 'one-way peer delay, ms'
set key top left font ',9'

# Columns: 1 network, 2 one_way_ms, 3 n, 4 read_mode, 8 write_p50_ms, 9 write_p99_ms, 10 read_p50_ms, 11 read_p99_ms, 14 stale_fraction.
rows(mode, n) = sprintf("< awk -F, 'NR > 1 && $1 == \"delay\" && $4 == \"%s\" && $3 == %d' '%s' | sort -t, -g -k2", mode, n, csv)
modes = "log read_index lease follower"
# A read answered at once (follower reads, 0 ms) is drawn at 0.05 ms, the bottom of the log axis.
zf(x) = x > 0 ? x : 0.05
colour(i) = word("#d62728 #1f77b4 #2ca02c #9467bd", i)

set logscale y
set ylabel 'median write latency, ms'
set title 'writes (the client reaches a random member; others forward to the leader)'
plot for [i = 1:4] rows(word(modes, i), 3) using 2:8 with linespoints lw 2 pt 7 lc rgb colour(i) title word(modes, i), \
     for [i = 1:4] rows(word(modes, i), 5) using 2:8 with linespoints lw 1.5 dt 2 pt 5 lc rgb colour(i) notitle, \
     rows('log', 3) using 2:(2 * $2) with lines lw 1 lc rgb '#888888' title 'one round trip'

set ylabel 'median read latency, ms'
set yrange [0.04:*]
set title 'reads, median (0 ms drawn at 0.05)'
plot for [i = 1:4] rows(word(modes, i), 3) using 2:(zf($10)) with linespoints lw 2 pt 7 lc rgb colour(i) title word(modes, i), \
     for [i = 1:4] rows(word(modes, i), 5) using 2:(zf($10)) with linespoints lw 1.5 dt 2 pt 5 lc rgb colour(i) notitle, \
     rows('log', 3) using 2:(2 * $2) with lines lw 1 lc rgb '#888888' title 'one round trip'

set ylabel 'p99 read latency, ms'
set title 'reads, p99 (0 ms drawn at 0.05)'
plot for [i = 1:4] rows(word(modes, i), 3) using 2:(zf($11)) with linespoints lw 2 pt 7 lc rgb colour(i) title word(modes, i), \
     for [i = 1:4] rows(word(modes, i), 5) using 2:(zf($11)) with linespoints lw 1.5 dt 2 pt 5 lc rgb colour(i) notitle, \
     rows('log', 3) using 2:(2 * $2) with lines lw 1 lc rgb '#888888' title 'one round trip'

unset logscale y
set yrange [0:*]
set ylabel 'stale-read fraction'
set title 'stale reads (only follower reads may be stale)'
plot for [i = 1:4] rows(word(modes, i), 3) using 2:14 with linespoints lw 2 pt 7 lc rgb colour(i) title word(modes, i), \
     for [i = 1:4] rows(word(modes, i), 5) using 2:14 with linespoints lw 1.5 dt 2 pt 5 lc rgb colour(i) notitle
unset multiplot
