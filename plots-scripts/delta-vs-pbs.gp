# delta-vs-pbs: measured Δ-atomicity of simulated Dynamo histories against what PBS predicts.
# Usage: gnuplot -e "csv='results/delta-vs-pbs.csv'; png='results/delta-vs-pbs.png'" plots-scripts/delta-vs-pbs.gp
# Left: measured Δ over keys (median, p99, max) against PBS's prediction of the same statistic for
# the run (the worst read of a key from the Monte Carlo's τ and the run's read count). Right: the
# same measured Δ against PBS's t-visibility for one read at p = 0.999. Log axes; a 0 is drawn on
# the axis floor (labelled 0). Colour: latency preset; shape: statistic; labels: R/W of the max point.
if (!exists("csv")) csv = 'results/delta-vs-pbs.csv'
if (!exists("png")) png = 'results/delta-vs-pbs.png'

set datafile separator ','
set terminal pngcairo size 1500,720 noenhanced font ',11'
set output png
set multiplot layout 1,2 title 'Δ-atomicity measured on simulated histories against PBS (Dynamo LWW, N = 3, no read repair; 0 drawn on the axis floor)'

floor = 0.01
f(x) = x > floor ? x : floor
set logscale xy
set xrange [floor * 0.8:10000]
set yrange [floor * 0.8:10000]
set xtics ('0' floor, '0.1' 0.1, '1' 1, '10' 10, '100' 100, '1000' 1000, '10^4' 10000)
set ytics ('0' floor, '0.1' 0.1, '1' 1, '10' 10, '100' 100, '1000' 1000, '10^4' 10000)
set grid xtics ytics
set key bottom right box opaque font ',10'
set size ratio -1

# Columns: 1 config, 2 model, 4 r, 5 w, 10-12 delta p50/p99/max, 13-15 pbs_delta p50/p99/max, 18 pbs_t999_ms.
rows(m) = sprintf("< awk -F, 'NR > 1 && $2 == \"%s\"' '%s'", m, csv)
colour(i) = i == 1 ? '#1f77b4' : (i == 2 ? '#d62728' : '#2ca02c')
models = "lnkd-ssd lnkd-disk ymmr"

set xlabel 'PBS-predicted Δ for this run, ms (worst read of a key, from τ)'
set ylabel 'measured Δ, ms'
set title 'against the prediction of the same statistic'
plot x with lines dt 2 lc rgb 'black' title 'measured = predicted', \
     for [i=1:3] NaN with points pt 7 ps 1.6 lc rgb colour(i) title word(models, i), \
     NaN with points pt 6 ps 1.6 lc rgb 'black' title 'median over keys', \
     NaN with points pt 8 ps 1.6 lc rgb 'black' title 'p99 over keys', \
     NaN with points pt 4 ps 1.4 lc rgb 'black' title 'max over keys', \
     for [i=1:3] rows(word(models, i)) using (f($13)):(f($10)) with points pt 7 ps 1.6 lc rgb colour(i) notitle, \
     for [i=1:3] rows(word(models, i)) using (f($14)):(f($11)) with points pt 9 ps 1.6 lc rgb colour(i) notitle, \
     for [i=1:3] rows(word(models, i)) using (f($15)):(f($12)) with points pt 5 ps 1.4 lc rgb colour(i) notitle, \
     for [i=1:3] rows(word(models, i)) using (f($15)):(f($12)):(sprintf('R%sW%s', strcol(4), strcol(5))) with labels offset 1.6,0.6 font ',9' tc rgb colour(i) notitle

set xlabel 'PBS t-visibility, p = 0.999, ms (one read)'
set title 'against the one-read t-visibility'
set key top left
plot x with lines dt 2 lc rgb 'black' title 'measured = t99.9', \
     for [i=1:3] NaN with points pt 7 ps 1.6 lc rgb colour(i) title word(models, i), \
     NaN with points pt 6 ps 1.6 lc rgb 'black' title 'median over keys', \
     NaN with points pt 4 ps 1.4 lc rgb 'black' title 'max over keys', \
     for [i=1:3] rows(word(models, i)) using (f($18)):(f($10)) with points pt 7 ps 1.6 lc rgb colour(i) notitle, \
     for [i=1:3] rows(word(models, i)) using (f($18)):(f($12)) with points pt 5 ps 1.4 lc rgb colour(i) notitle, \
     for [i=1:3] rows(word(models, i)) using (f($18)):(f($12)):(sprintf('R%sW%s', strcol(4), strcol(5))) with labels offset 1.6,0.6 font ',9' tc rgb colour(i) notitle
unset multiplot
