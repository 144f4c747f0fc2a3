# A/B: before (/tmp/krun) and after (/tmp/krun2), alternately; 10k x 5 x 30, both guarantees.
for i in $@; do for v in after before; do
  d=/tmp/krun; [ $v = after ] && d=/tmp/krun2
  echo "=== $v-$i $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  (cd $d && java -jar kelvin.jar bench pipeline --buildings 10000 --points 5 --minutes 30 --partitions 12 --guarantee both --data-dir /tmp/b8/data --output /tmp/b8/$v-$i.json > /tmp/b8/$v-$i.log 2>&1)
  grep -E "^\((b|c)\)|ratios|p99|burst" /tmp/b8/$v-$i.log
done; done
echo DONE $(date +%T)
