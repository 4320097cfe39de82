# raftlog-append: entries/s against batch size, one panel per variant, one line per entry size.
# Usage: gnuplot -e "csv='results/raftlog-append.csv'; png='results/raftlog-append.png'" plots-scripts/raftlog-append.gp
# Points are medians; error bars span the slowest and fastest sample. In the wal-fsync panel the
# dashed line is the limit of one fdatasync (median, same run, same directory) per batch.
if (!exists("csv")) csv = 'results/raftlog-append.csv'
if (!exists("png")) png = 'results/raftlog-append.png'

set datafile separator ','
set terminal pngcairo size 1500,560 noenhanced font ',11'
set output png
set logscale x
set logscale y
set grid xtics ytics mxtics mytics
set xrange [0.7:1500]
set xlabel 'entries per append call (batch)'
set key bottom right box opaque

# Columns: 1 variant, 3 entry_bytes, 4 batch, 7 entries_s_median, 8 entries_s_min, 9 entries_s_max, 15 fdatasync_us_median.
rows(v, e) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $3 == %d' '%s'", v, e, csv)
sizes = "64 256 1024 16384"

set multiplot layout 1,3 title 'Raft log append throughput (median, min–max over samples)'
do for [v in "memory wal-none wal-fsync"] {
  set title v
  set ylabel 'entries per second'
  if (v eq "wal-fsync") {
    plot for [e in sizes] rows(v, int(e)) using 4:7:8:9 with yerrorlines lw 2 title sprintf('%s B', e), \
         rows(v, 256) using 4:($4 * 1e6 / $15) with lines dt 2 lw 2 lc rgb 'black' title '1 fdatasync per batch'
  } else {
    plot for [e in sizes] rows(v, int(e)) using 4:7:8:9 with yerrorlines lw 2 title sprintf('%s B', e)
  }
}
unset multiplot
