# Record cache: Kafka's default 10 MiB against 64 MiB, for (b) and (c) alike (--set), compact encoding (kc), EOS, alternately
cd /tmp/kc
for i in 1 2; do
 for c in default 67108864; do
  set=""; [ $c != default ] && set="--set statestore.cache.max.bytes=$c"
  echo "=== cache-$c-$i $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -jar kelvin.jar bench pipeline --buildings 10000 --points 5 --minutes 30 --partitions 12 --guarantee exactly_once_v2 $set --data-dir /tmp/b9/data-c --output /tmp/b9/cache-$c-$i.json > /tmp/b9/cache-$c-$i.log 2>&1
  rm -rf /tmp/b9/data-c
  grep -E "^\((b|c)\)|ratios|after every|p99|burst" /tmp/b9/cache-$c-$i.log
 done
done
echo DONE $(date +%T)
