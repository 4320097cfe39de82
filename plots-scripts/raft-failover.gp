# raft-failover: time with no successful write after the leader crashes or is isolated, against the election timeout.
# Usage: gnuplot -e "csv='results/raft-failover.csv'; png='results/raft-failover.png'" plots-scripts/raft-failover.gp
# Colour: PreVote/CheckQuorum options. Solid: N = 3, dashed: N = 5. Grey lines: T and 2T (an election timeout's range).
if (!exists("csv")) csv = 'results/raft-failover.csv'
if (!exists("png")) png = 'results/raft-failover.png'

set datafile separator ','
set terminal pngcairo size 1400,560 noenhanced font ',11'
set output png
set multiplot layout 1,2 title 'Raft failover: longest time with no successful write (simulated, 0.5 ms one-way, 1000 ops/s; solid N = 3, dashed N = 5)'
set logscale xy
set grid xtics ytics
set xlabel 'base election timeout T, ms'
set ylabel 'unavailable, ms'
set key top left font ',9'

# Columns: 1 fault, 2 n, 3 options, 4 election_timeout_ms, 7 unavailable_ms.
rows(f, o, n) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $3 == \"%s\" && $2 == %d' '%s' | sort -t, -g -k4", f, o, n, csv)
all(f) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\"' '%s' | sort -t, -g -k4", f, csv)
options = "none pre_vote check_quorum both"
colour(i) = word("#d62728 #1f77b4 #2ca02c #9467bd", i)

do for [f in "crash isolate"] {
  set title f eq 'crash' ? 'leader crashes' : 'leader isolated for 6 T'
  plot for [i = 1:4] rows(f, word(options, i), 3) using 4:7 with linespoints lw 2 pt 7 lc rgb colour(i) title word(options, i), \
       for [i = 1:4] rows(f, word(options, i), 5) using 4:7 with linespoints lw 1.5 dt 2 pt 5 lc rgb colour(i) notitle, \
       all(f) using 4:4 with lines lw 1 lc rgb '#888888' title 'T', \
       all(f) using 4:(2 * $4) with lines lw 1 dt 3 lc rgb '#888888' title '2T'
}
unset multiplot
