# engine-pacelc: real etcd and Redis against an injected one-way peer/replication delay.
# Usage: gnuplot -e "csv='results/engine-pacelc.csv'; png='results/engine-pacelc.png'" plots-scripts/engine-pacelc.gp
# Columns: 1 engine, 2 n, 3 read_mode, 4 client_at, 5 write_mode, 6 delay_ms, 8 read_p50_ms, 9 read_p99_ms,
# 12 write_p50_ms, 13 write_p99_ms, 17 stale_fraction, 18 probe_stale_fraction.
if (!exists("csv")) csv = 'results/engine-pacelc.csv'
if (!exists("png")) png = 'results/engine-pacelc.png'

set datafile separator ','
set terminal pngcairo size 1300,950 noenhanced font ',10'
set output png
set multiplot layout 2,2 title 'Real engines: etcd 3.4 (Raft) and Redis 7.0 (async replicas), one-way link delay injected by the CAPLab proxy'
set grid xtics ytics
set key top left box opaque font ',8'

etcd(r, a) = sprintf("< awk -F, 'NR > 1 && $1 == \"etcd\" && $2 == 3 && $3 == \"%s\" && $4 == \"%s\"' '%s'", r, a, csv)
redis(r, w) = sprintf("< awk -F, 'NR > 1 && $1 == \"redis\" && $3 == \"%s\" && $5 == \"%s\"' '%s'", r, w, csv)

set title 'etcd N=3: median read latency'
set xlabel 'one-way peer delay d, ms'
set ylabel 'read p50, ms (from intended start)'
set logscale y
plot etcd('linearizable', 'leader') using 6:8 with linespoints pt 7 lc 1 title 'linearizable @ leader (~2d)', \
     etcd('linearizable', 'follower') using 6:8 with linespoints pt 5 lc 2 title 'linearizable @ follower (~4d)', \
     etcd('serializable', 'leader') using 6:8 with linespoints pt 9 lc 3 title 'serializable @ leader', \
     etcd('serializable', 'follower') using 6:8 with linespoints pt 11 lc 4 title 'serializable @ follower'

set title 'etcd N=3: median put latency'
set ylabel 'write p50, ms'
plot etcd('linearizable', 'leader') using 6:12 with linespoints pt 7 lc 1 title 'put @ leader (~2d + fsync)', \
     etcd('linearizable', 'follower') using 6:12 with linespoints pt 5 lc 2 title 'put @ follower (~4d + fsync)'

set title 'Redis: reads right after an acknowledged write that miss it'
set ylabel 'stale fraction (read-after-write probe)'
unset logscale y
set yrange [-0.02:1.05]
plot redis('replica', 'plain') using 6:18 with linespoints pt 7 lc 1 title 'replica read, plain SET', \
     redis('replica', 'wait-1') using 6:18 with linespoints pt 5 lc 2 title 'replica read, SET + WAIT 1', \
     redis('replica', 'wait-2') using 6:18 with linespoints pt 9 lc 3 title 'replica read, SET + WAIT 2', \
     redis('primary', 'plain') using 6:18 with linespoints pt 11 lc 4 title 'primary read'

set title 'PACELC plane: p99 latency against stale reads (every engine, mode and delay)'
set xlabel 'stale fraction (read-after-write probe)'
set ylabel 'max(read p99, write p99), ms'
set autoscale y
set logscale y
set xrange [-0.02:1.05]
all(e) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" { print $18 \",\" ($9 > $13 ? $9 : $13) }' '%s'", e, csv)
plot all('etcd') using 1:2 with points pt 7 ps 1.2 lc 1 title 'etcd', \
     all('redis') using 1:2 with points pt 5 ps 1.2 lc 2 title 'redis'
unset multiplot
