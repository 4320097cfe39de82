# ring-peers: Swift time per lookup over its compiled peer's, per algorithm and node count.
# Usage: gnuplot -e "csv='results/ring-peers.csv'; png='results/ring-peers.png'" plots-scripts/ring-peers.gp
# Written by `make peers`; 1.0 means as fast as the C peer, below 1.0 faster.
if (!exists("csv")) csv = 'results/ring-peers.csv'
if (!exists("png")) png = 'results/ring-peers.png'

set datafile separator ','
set terminal pngcairo size 1000,640 noenhanced font ',11'
set output png
set title 'Swift variant vs compiled peer on the same keys (median ns ratio; < 1 = Swift faster)'
set xlabel 'nodes'
set ylabel 'Swift ns / peer ns per lookup'
set logscale x
set grid xtics ytics mxtics
set key bottom right box opaque
set xrange [5:*]
set yrange [0:*]

# Columns: 1 algorithm, 2 nodes, 12 swift_over_peer.
rows(a) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\"' '%s'", a, csv)

plot \
  1 with lines lw 2 dt 2 lc rgb 'black' title 'parity', \
  rows('jump') using 2:12 with linespoints lw 2 pt 11 title 'jump vs C reference', \
  rows('maglev') using 2:12 with linespoints lw 2 pt 15 title 'maglev vs C maglev', \
  rows('ketama') using 2:12 with linespoints lw 2 pt 4 title 'ketama (MD5 + search) vs libmemcached'
