cd /tmp/krun
# Run from /tmp/krun (kelvin.jar + lib); one and two stream threads alternately, twice.
for i in 1 2; do for t in 1 2; do
  echo "=== run $i threads $t $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -jar kelvin.jar bench pipeline --buildings 10000 --points 2 --minutes 20 --partitions 12 --guarantee exactly_once_v2 --data-dir /tmp/lat2/data --set num.stream.threads=$t --output /tmp/lat2/t$t-r$i.json > /tmp/lat2/t$t-r$i.log 2>&1
  grep -iE "p99|p50|decided|stream thread|CPU" /tmp/lat2/t$t-r$i.log | tail -12
done; done
echo DONE $(date +%T)
