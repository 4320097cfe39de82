# engine-partition: real etcd and Redis with one member isolated, per group of clients.
# Usage: gnuplot -e "csv='results/engine-partition.csv'; png='results/engine-partition.png'" plots-scripts/engine-partition.gp
# Columns: 1 engine, 3 write_mode, 4 group, 8 failed_fraction_in_partition, 10 stale_fraction_in_partition,
# 11 acknowledged_writes, 12 lost_writes, 13 unavailable_s.
if (!exists("csv")) csv = 'results/engine-partition.csv'
if (!exists("png")) png = 'results/engine-partition.png'

set datafile separator ','
set terminal pngcairo size 1300,600 noenhanced font ',10'
set output png
set multiplot layout 1,2 title 'Real engines under a partition: etcd leader isolated (N=3); Redis primary isolated, Sentinel fails over'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set grid ytics
set xtics rotate by -25 font ',8'
set key top left box opaque font ',8'
label(e, w, g) = sprintf("%s %s %s", e, w, g)

set title 'during the partition'
set ylabel 'fraction of the group''s operations / reads'
set yrange [0:1.05]
plot csv using 8:xtic(label(strcol(1), strcol(3), strcol(4))) every ::1 title 'failed or indeterminate', \
     '' using 10 every ::1 title 'stale reads'

set title 'after heal'
set ylabel 'count / seconds'
set autoscale y
plot csv using 12:xtic(label(strcol(1), strcol(3), strcol(4))) every ::1 title 'acknowledged writes lost', \
     '' using 13 every ::1 title 'longest unavailability, s'
unset multiplot
