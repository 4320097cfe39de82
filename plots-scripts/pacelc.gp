# pacelc: p99 latency against stale-read fraction, one point per (N, R, W), one panel per latency preset and fault.
# Usage: gnuplot -e "csv='results/pacelc.csv'; png='results/pacelc.png'" plots-scripts/pacelc.gp
# Each configuration is one point at the larger of its read and write p99, labelled R/W, coloured by N.
# The x axis is symlog-like: stale fractions from 1e-4 to 1 on a log scale, and the configurations
# with no stale read spread across the grey band at the left (ordered by R, then W), so they do not
# sit on top of each other. The black line joins the frontier (column frontier = 1).
if (!exists("csv")) csv = 'results/pacelc.csv'
if (!exists("png")) png = 'results/pacelc.png'

set datafile separator ','
set terminal pngcairo size 1500,1900 noenhanced font ',10'
set output png
set multiplot title 'PACELC: else latency or consistency (simulated Dynamo cluster, every R and W at N = 3 and 5, label R/W; Raft read modes)'
set logscale y
set grid ytics
set xlabel 'stale-read fraction'
set ylabel 'p99 latency, ms (max of read and write)'
unset key
set xrange [-3.2:5.2]
set xtics ('0' -1.5, '1e-4' 1, '0.001' 2, '0.01' 3, '0.1' 4, '1' 5)
set object 1 rectangle from -3.1, graph 0 to 0.1, graph 1 fillcolor rgb '#eeeeee' fillstyle solid noborder behind

# Columns: 1 model, 2 n, 3 r, 4 w, 6 fault, 9 read_p99_ms, 11 write_p99_ms, 12 stale_fraction, 15 frontier.
# Stale 0 goes to the band (-3, 0) at a place fixed by (R, W); otherwise 1 + log10(stale / 1e-4), at least 0.3.
sx(s, n, r, w) = s > 0 ? (1 + log10(s / 1e-4) > 0.3 ? 1 + log10(s / 1e-4) : 0.3) : -3 + 3 * (((r - 1) * n + w) / (n * n + 1.0))
p99(a, b) = a > b ? a : b
rows(m, f, n) = sprintf("< awk -F, 'NR > 1 && $18 != \"raft\" && $1 == \"%s\" && $6 == \"%s\" && $2 == %d' '%s'", m, f, n, csv)
# Raft rows (column 18 protocol = raft, 19 read_mode): green triangles labelled by read mode; with no stale read at x = -0.4 (N = 3) or -0.2 (N = 5).
raft(m, f) = sprintf("< awk -F, 'NR > 1 && $18 == \"raft\" && $1 == \"%s\" && $6 == \"%s\"' '%s'", m, f, csv)
rx(s, n) = s > 0 ? (1 + log10(s / 1e-4) > 0.3 ? 1 + log10(s / 1e-4) : 0.3) : (n == 3 ? -0.4 : -0.2)
front(m, f) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $6 == \"%s\" && $15 == 1' '%s' | sort -t, -g -k12", m, f, csv)

panel = 0
do for [m in "lnkd-ssd lnkd-disk ymmr wan"] {
  do for [f in "healthy partitioned"] {
    set size 0.5, 0.235
    set origin (panel % 2) * 0.5, 0.04 + (3 - panel / 2) * 0.235
    panel = panel + 1
    set title sprintf('%s, %s', m, f eq 'healthy' ? 'healthy' : 'node 0 partitioned away')
    plot front(m, f) using (strcol(18) eq 'raft' ? rx($12, $2) : sx($12, $2, $3, $4)):(p99($9, $11)) with lines lw 1.5 lc rgb 'black', \
         rows(m, f, 3) using (sx($12, $2, $3, $4)):(p99($9, $11)) with points pt 7 ps 1.2 lc rgb '#1f77b4', \
         rows(m, f, 5) using (sx($12, $2, $3, $4)):(p99($9, $11)) with points pt 5 ps 1.0 lc rgb '#ff7f0e', \
         rows(m, f, 3) using (sx($12, $2, $3, $4)):(p99($9, $11)):(sprintf('%d/%d', $3, $4)) with labels offset 0, 0.7 font ',8' tc rgb '#1f77b4', \
         rows(m, f, 5) using (sx($12, $2, $3, $4)):(p99($9, $11)):(sprintf('%d/%d', $3, $4)) with labels offset 0, -0.7 font ',7' tc rgb '#ff7f0e', \
         raft(m, f) using (rx($12, $2)):(p99($9, $11)) with points pt 9 ps 1.3 lc rgb '#2ca02c', \
         raft(m, f) using (rx($12, $2)):(p99($9, $11)):(sprintf('raft %s N%d', strcol(19), $2)) with labels left offset 0.8, 0 font ',7' tc rgb '#2ca02c'
  }
}

# The key, on its own strip below the panels.
unset object 1
set origin 0, 0
set size 1, 0.035
unset border; unset tics; unset xlabel; unset ylabel; unset title; unset grid; unset logscale
set xrange [0:1]
set yrange [0:1]
set key center center horizontal maxrows 1 font ',11' samplen 3
plot NaN with points pt 7 ps 1.2 lc rgb '#1f77b4' title 'N = 3 (label R/W above)', \
     NaN with points pt 5 ps 1.0 lc rgb '#ff7f0e' title 'N = 5 (label R/W below)', \
     NaN with points pt 9 ps 1.3 lc rgb '#2ca02c' title 'Raft (label: read mode, N)', \
     NaN with lines lw 1.5 lc rgb 'black' title 'latency/consistency frontier', \
     NaN with boxes fillcolor rgb '#eeeeee' fillstyle solid title 'no stale read (spread by R, W)'
unset multiplot
