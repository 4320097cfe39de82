# pacelc: p99 latency against stale-read fraction, one panel per latency preset and fault; every point
# labelled with its configuration (column `label`, e.g. "dynamo N=5 R=2 W=2").
# Usage: gnuplot -e "csv='results/pacelc.csv'; png='results/pacelc.png'" plots-scripts/pacelc.gp
# Columns are found by name in the header (model, fault, n, read_p99_ms, write_p99_ms, stale_fraction,
# frontier, label), so rows of any protocol or read mode draw the same way.
# y: the larger of read and write p99. x: stale fractions from 1e-4 to 1 on a log scale; configurations with
# no stale read sit in the grey band at the left, spread evenly in CSV order so none hides another.
# Marker and colour: colour by N (3 blue, 5 orange, other green); Dynamo circles, Raft (any read mode)
# triangles; the frontier (frontier = 1) is ringed and joined by a black line.
if (!exists("csv")) csv = 'results/pacelc.csv'
if (!exists("png")) png = 'results/pacelc.png'

set datafile separator ','
set terminal pngcairo size 1800,2400 noenhanced font ',10'
set output png
set multiplot title "PACELC: else latency or consistency (simulated Dynamo every R, W at N = 3, 5 and Raft read modes; healthy and with node 0 partitioned away); every point labelled"
set logscale y
set grid ytics
set xlabel 'stale-read fraction'
set ylabel 'p99 latency, ms (max of read and write)'
unset key
set xrange [-3.2:5.2]
set xtics ('0' -1.5, '1e-4' 1, '0.001' 2, '0.01' 3, '0.1' 4, '1' 5)
set object 1 rectangle from -3.1, graph 0 to 0.1, graph 1 fillcolor rgb '#eeeeee' fillstyle solid noborder behind

# awk turns the rows of one panel into: x, p99, label, n, frontier, raft (1 for a Raft row). The file is read twice: first to count
# the panel's zero-stale rows, then to place the k-th of them at -3 + 3k/(count + 1).
# Stale s > 0 goes to 1 + log10(s / 1e-4), at least 0.3.
awk = "awk -F, -v m=%s -v f=%s 'FNR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } " . \
      "$h[\"model\"] != m || $h[\"fault\"] != f { next } " . \
      "NR == FNR { if ($h[\"stale_fraction\"] + 0 == 0) zeros++; next } " . \
      "{ s = $h[\"stale_fraction\"] + 0; r = $h[\"read_p99_ms\"] + 0; w = $h[\"write_p99_ms\"] + 0; " . \
      "  x = s > 0 ? 1 + log(s / 1e-4) / log(10) : -3 + 3 * (++k) / (zeros + 1); if (s > 0 && x < 0.3) x = 0.3; " . \
      "  print x \",\" (r > w ? r : w) \",\" $h[\"label\"] \",\" $h[\"n\"] \",\" $h[\"frontier\"] \",\" ($h[\"protocol\"] == \"raft\") }' '%s' '%s'"
rows(m, f) = sprintf("< ".awk, m, f, csv, csv)
front(m, f) = sprintf("< ".awk." | awk -F, '$5 == 1' | sort -t, -g -k1", m, f, csv, csv)
pt(raft) = raft > 0.5 ? 9 : 7
colour(n) = n == 3 ? 0x1f77b4 : (n == 5 ? 0xff7f0e : 0x2ca02c)

panel = 0
do for [m in "lnkd-ssd lnkd-disk ymmr wan"] {
  do for [f in "healthy partitioned"] {
    set size 0.5, 0.235
    set origin (panel % 2) * 0.5, 0.04 + (3 - panel / 2) * 0.235
    panel = panel + 1
    set title sprintf('%s, %s', m, f eq 'healthy' ? 'healthy' : 'node 0 partitioned away')
    plot front(m, f) using 1:2 with lines lw 1.5 lc rgb 'black', \
         rows(m, f) using 1:2:(pt($6)):(colour($4)) with points pt variable ps 1.1 lc rgb variable, \
         rows(m, f) using 1:($5 == 1 ? $2 : 1/0) with points pt 6 ps 2.2 lc rgb 'black', \
         rows(m, f) using 1:2:3:(colour($4)) with labels rotate by 35 left offset 0.6, 0.2 font ',6.5' tc rgb variable
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
plot NaN with points pt 7 ps 1.2 lc rgb '#1f77b4' title 'N = 3', \
     NaN with points pt 7 ps 1.2 lc rgb '#ff7f0e' title 'N = 5', \
     NaN with points pt 7 ps 1.2 lc rgb '#2ca02c' title 'other N', \
     NaN with points pt 7 ps 1.2 lc rgb 'gray40' title 'Dynamo', \
     NaN with points pt 9 ps 1.2 lc rgb 'gray40' title 'Raft (label: read mode)', \
     NaN with points pt 6 ps 2.2 lc rgb 'black' title 'on the latency/consistency frontier (joined)', \
     NaN with boxes fillcolor rgb '#eeeeee' fillstyle solid title 'no stale read (spread in CSV order)'
unset multiplot
