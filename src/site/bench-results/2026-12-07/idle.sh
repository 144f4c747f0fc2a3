# Same jar (after); max.task.idle.ms -1 (shipped) vs 0 (Kafka's default) for (b) and (c) alike; EOS only.
cd /tmp/krun2
for i in 1 2; do for v in idle0 idleoff; do
  extra=""; [ $v = idle0 ] && extra="--set max.task.idle.ms=0"
  echo "=== $v-$i $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -jar kelvin.jar bench pipeline --buildings 10000 --points 5 --minutes 30 --partitions 12 --guarantee exactly_once_v2 --data-dir /tmp/b8/data $extra --output /tmp/b8/$v-$i.json > /tmp/b8/$v-$i.log 2>&1
  grep -E "^\((b|c)\)|ratios|p99|burst" /tmp/b8/$v-$i.log
done; done
echo DONE $(date +%T)
