# raftlog-recovery: time to open a WAL (read, CRC-check, replay) against the number of entries.
# Usage: gnuplot -e "csv='results/raftlog-recovery.csv'; png='results/raftlog-recovery.png'" plots-scripts/raftlog-recovery.gp
# Points are medians; error bars span the fastest and slowest reopen.
if (!exists("csv")) csv = 'results/raftlog-recovery.csv'
if (!exists("png")) png = 'results/raftlog-recovery.png'

set datafile separator ','
set terminal pngcairo size 1000,640 noenhanced font ',11'
set output png
set title 'WAL recovery time (256-byte entries, 64 MiB segments, page cache warm)'
set xlabel 'entries in the log'
set ylabel 'ms to open (read + CRC + replay)'
set logscale x
set logscale y
set grid xtics ytics mxtics mytics
set key top left box opaque
set xrange [500:*]

# Columns: 1 entries, 6 recovery_ms_median, 7 recovery_ms_min, 8 recovery_ms_max.
plot csv every ::1 using 1:6:7:8 with yerrorlines lw 2 pt 7 title 'recovery (median, min–max)'
