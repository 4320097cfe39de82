# raft-commit-path: Raft commit latency (in fdatasync times) and throughput against offered load, by log durability.
# Usage: gnuplot -e "csv='results/raft-commit-path.csv'; png='results/raft-commit-path.png'" plots-scripts/raft-commit-path.gp
# Colour: durability. Solid: up to 64 entries per AppendEntries; dashed: 1.
if (!exists("csv")) csv = 'results/raft-commit-path.csv'
if (!exists("png")) png = 'results/raft-commit-path.png'

set datafile separator ','
set terminal pngcairo size 1400,560 noenhanced font ',11'
set output png
set multiplot layout 1,2 title 'Raft commit path on threads (N = 3, 0.1 ms one-way): solid batch 64, dashed batch 1'
set logscale x
set grid xtics ytics
set xlabel 'offered writes/s'
set key top left font ',9'

# Columns: 1 durability, 2 offered_ops_s, 3 max_entries_per_append, 6 commit_p50_ms, 7 commit_p99_ms, 8 throughput_ops_s, 10 commit_p50_x_sync, 11 throughput_x_limit.
rows(d, b) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $3 == %d' '%s' | sort -t, -g -k2", d, b, csv)
durabilities = "memory none fsync group"
colour(i) = word("#2ca02c #1f77b4 #d62728 #9467bd", i)

set logscale y
set ylabel 'median commit latency, ms'
set title 'median commit latency (labels: × one fdatasync)'
plot for [i = 1:4] rows(word(durabilities, i), 64) using 2:6 with linespoints lw 2 pt 7 lc rgb colour(i) title word(durabilities, i), \
     for [i = 1:4] rows(word(durabilities, i), 1) using 2:6 with linespoints lw 1.5 dt 2 pt 5 lc rgb colour(i) notitle, \
     for [i = 1:4] rows(word(durabilities, i), 64) using 2:6:(sprintf('%sx', strcol(10))) with labels offset 0, 0.8 font ',8' tc rgb colour(i) notitle

set ylabel 'completed writes/s'
set title 'throughput (labels: × the one-sync-per-commit limit)'
plot for [i = 1:4] rows(word(durabilities, i), 64) using 2:8 with linespoints lw 2 pt 7 lc rgb colour(i) title word(durabilities, i), \
     for [i = 1:4] rows(word(durabilities, i), 1) using 2:8 with linespoints lw 1.5 dt 2 pt 5 lc rgb colour(i) notitle, \
     for [i = 1:4] rows(word(durabilities, i), 64) using 2:8:(sprintf('%s', strcol(11))) with labels offset 0, -0.8 font ',8' tc rgb colour(i) notitle, \
     rows('memory', 64) using 2:2 with lines lw 1 lc rgb '#888888' title 'offered'
unset multiplot
