# raftlog-append: µs per append call against batch size, one panel per variant, one colour per entry size.
# Usage: gnuplot -e "csv='results/raftlog-append.csv'; png='results/raftlog-append.png'" plots-scripts/raftlog-append.gp
# Points are medians; error bars span the fastest and slowest sample. The dashed line of the same colour
# is the limit measured in the same run, a floor the points should never go below: memcpy of the
# batch's payload (memory, wal-none), or the sync probe doing the WAL's own writes and fdatasync into a
# fresh preallocated file (wal-fsync; dotted: into a region written beforehand). The key is below.
if (!exists("csv")) csv = 'results/raftlog-append.csv'
if (!exists("png")) png = 'results/raftlog-append.png'

set datafile separator ','
set terminal pngcairo size 1500,620 noenhanced font ',11'
set output png
set logscale x
set logscale y
set grid xtics ytics mxtics mytics
set xrange [0.7:1500]
set xlabel 'entries per append call (batch)'
unset key

# Columns: 1 variant, 3 entry_bytes, 4 batch, 8 entries_s_min, 9 entries_s_max, 11 batch_us_median,
# 13 limit_us, 20 limit_written_us.
rows(v, e) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $3 == %d' '%s'", v, e, csv)
sizes = "64 256 1024 16384"
colour(i) = word("#1f77b4 #ff7f0e #2ca02c #d62728", i)

set multiplot title 'Raft log append: µs per append call (median, fastest–slowest sample) against its floor'
panel = 0
do for [v in "memory wal-none wal-fsync"] {
  set size 0.333, 0.82
  set origin panel * 0.333, 0.12
  panel = panel + 1
  set title v eq 'wal-fsync' ? 'wal-fsync (floor: sync probe)' : sprintf('%s (floor: memcpy)', v)
  set ylabel 'µs per append call'
  if (v eq "wal-fsync") {
    plot for [i = 1:4] rows(v, int(word(sizes, i))) using 4:11:($4 * 1e6 / $9):($4 * 1e6 / $8) with yerrorlines lw 2 pt 7 lc rgb colour(i), \
         for [i = 1:4] rows(v, int(word(sizes, i))) using 4:13 with lines dt 2 lw 2 lc rgb colour(i), \
         for [i = 1:4] rows(v, int(word(sizes, i))) using 4:20 with lines dt 3 lw 1 lc rgb colour(i)
  } else {
    plot for [i = 1:4] rows(v, int(word(sizes, i))) using 4:11:($4 * 1e6 / $9):($4 * 1e6 / $8) with yerrorlines lw 2 pt 7 lc rgb colour(i), \
         for [i = 1:4] rows(v, int(word(sizes, i))) using 4:13 with lines dt 2 lw 2 lc rgb colour(i)
  }
}

# The key, on its own strip below the panels.
set origin 0, 0
set size 1, 0.1
unset border; unset tics; unset xlabel; unset ylabel; unset title; unset grid; unset logscale
set xrange [0:1]
set yrange [0:1]
set key center center horizontal maxrows 1 font ',10' samplen 3
plot for [i = 1:4] NaN with linespoints lw 2 pt 7 lc rgb colour(i) title sprintf('%s B entries', word(sizes, i)), \
     NaN with lines dt 2 lw 2 lc rgb 'black' title 'floor: memcpy / sync probe, fresh region', \
     NaN with lines dt 3 lw 1 lc rgb 'black' title 'sync probe, written region'
unset multiplot
