# pacelc-threaded: measured (threads, real clock) / predicted (simulator) ratios per configuration.
# Usage: gnuplot -e "csv='results/pacelc-threaded.csv'; png='results/pacelc-threaded.png'" plots-scripts/pacelc-threaded.gp
# A ratio of 1 means the simulator predicted what the threaded runtime measured.
if (!exists("csv")) csv = 'results/pacelc-threaded.csv'
if (!exists("png")) png = 'results/pacelc-threaded.png'

set datafile separator ','
set terminal pngcairo size 1300,600 noenhanced font ',10'
set output png
set title 'Threaded runtime against the simulator: measured / predicted (N = 3, 1000 ops/s, 2 client + 2 replica threads)'
set logscale y
set grid ytics
set ylabel 'measured / predicted'
set xtics rotate by -30 font ',9'
set key outside right top box font ',9'
set xrange [-0.5:*]
set yrange [0.3:10]

# Columns: 1 model, 3 r, 4 w, 16..19 latency ratios (read p50, read p99, write p50, write p99), 20 stale ratio.
data = sprintf("< awk -F, 'NR > 1' '%s'", csv)
label(m, r, w) = sprintf("%s R%d W%d", m, r, w)
plot 1 with lines lc rgb 'gray' dt 2 notitle, \
     data using ($0 - 0.2):16:xtic(label(strcol(1), $3, $4)) with points pt 7 ps 1.3 title 'read p50', \
     data using ($0 - 0.1):17 with points pt 5 ps 1.3 title 'read p99', \
     data using ($0 + 0.0):18 with points pt 9 ps 1.3 title 'write p50', \
     data using ($0 + 0.1):19 with points pt 11 ps 1.3 title 'write p99', \
     data using ($0 + 0.2):20 with points pt 13 ps 1.3 title 'stale fraction'
