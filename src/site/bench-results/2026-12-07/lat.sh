# 10k x 2 x 20, EOS, --live steady: the configuration of the 2026-12-06 idle-machine runs; before and after alternately.
for i in 1 2; do for v in before after; do
  d=/tmp/krun; [ $v = after ] && d=/tmp/krun2
  echo "=== lat-$v-$i $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  (cd $d && java -jar kelvin.jar bench pipeline --buildings 10000 --points 2 --minutes 20 --partitions 12 --guarantee exactly_once_v2 --data-dir /tmp/b8/data --output /tmp/b8/lat-$v-$i.json > /tmp/b8/lat-$v-$i.log 2>&1)
  grep -E "^\((b|c)\)|ratios|p99|burst" /tmp/b8/lat-$v-$i.log
done; done
echo DONE $(date +%T)
