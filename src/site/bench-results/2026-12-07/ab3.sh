# pending change only (/tmp/krun2) vs + shared features (/tmp/krun3), alternately; 10k x 5 x 30, EOS.
for i in 1 2; do for v in krun3 krun2; do
  echo "=== $v-$i $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  (cd /tmp/$v && java -jar kelvin.jar bench pipeline --buildings 10000 --points 5 --minutes 30 --partitions 12 --guarantee exactly_once_v2 --data-dir /tmp/b8/data --output /tmp/b8/ab3-$v-$i.json > /tmp/b8/ab3-$v-$i.log 2>&1)
  grep -E "^\((b|c)\)|ratios|p99|burst" /tmp/b8/ab3-$v-$i.log
done; done
echo DONE $(date +%T)
