# plan-frontier: the answer of a capacity plan (caplab plan, Benchmarks/Plans/two-datacenters.yaml).
# Usage: gnuplot -e "csv='results/plan-frontier.csv'; png='results/plan-frontier.png'" plots-scripts/plan-frontier.gp
# Left: cost against model read p99; right: staleness (1 − P(consistent) at the plan's t) against read p99.
# Every candidate is a small dot (green: meets every objective, red: misses); the Pareto frontier of
# (cost, read p99, staleness) is drawn large and every frontier point is labelled with its configuration
# (replicas per datacenter, read and write levels).
if (!exists("csv")) csv = 'results/plan-frontier.csv'
if (!exists("png")) png = 'results/plan-frontier.png'

set datafile separator ','
set datafile missing ''
set terminal pngcairo size 1800,900 noenhanced font ',10'
set output png
# Columns: 2 label, 10 cost, 13 read_p99_ms, 25 stale, 27 meets_objectives, 28 frontier.
floor = 1e-5
st(s) = s > floor ? s : floor
set multiplot layout 1,2 title 'Capacity plan: every candidate configuration (green meets every objective, red misses); labelled points are the Pareto frontier of cost, read p99 and staleness'
set logscale x
set grid
set xlabel 'read p99, ms (topology-aware PBS Monte Carlo)'
set ylabel 'cost (nodes × price)'
unset key
set offsets 0, 0, 0.5, 0.5
plot csv every ::1 using 13:($27 == 0 ? $10 : 1/0) with points pt 7 ps 0.5 lc rgb '#d62728', \
     csv every ::1 using 13:($27 == 1 ? $10 : 1/0) with points pt 7 ps 0.8 lc rgb '#2ca02c', \
     csv every ::1 using 13:($28 == 1 ? $10 : 1/0) with points pt 6 ps 2 lw 2 lc rgb 'black', \
     csv every ::1 using 13:($28 == 1 ? $10 : 1/0):2 with labels left offset 1, 0 rotate by 20 font ',8'
set logscale y
set ylabel sprintf('stale: 1 − P(consistent read at the plan''s t); %g stands for 0', floor)
set offsets 0, 0, 0, 0
plot csv every ::1 using 13:($27 == 0 ? st($25) : 1/0) with points pt 7 ps 0.5 lc rgb '#d62728', \
     csv every ::1 using 13:($27 == 1 ? st($25) : 1/0) with points pt 7 ps 0.8 lc rgb '#2ca02c', \
     csv every ::1 using 13:($28 == 1 ? st($25) : 1/0) with points pt 6 ps 2 lw 2 lc rgb 'black', \
     csv every ::1 using 13:($28 == 1 ? st($25) : 1/0):2 with labels left offset 1, 0 rotate by 20 font ',8'
unset multiplot
