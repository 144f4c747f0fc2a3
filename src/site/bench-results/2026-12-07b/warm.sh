# Is the 10k x 2 x 20 burst slower for want of warm-up? Same jar (kc), 20 against 30 minutes, alternately, EOS.
cd /tmp/kc
for i in 1 2; do
 for m in 20 30; do
  echo "=== warm-$m-$i $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -jar kelvin.jar bench pipeline --buildings 10000 --points 2 --minutes $m --partitions 12 --guarantee exactly_once_v2 --data-dir /tmp/b9/data-w --output /tmp/b9/warm-$m-$i.json > /tmp/b9/warm-$m-$i.log 2>&1
  rm -rf /tmp/b9/data-w
  grep -E "^\((b|c)\)|ratios|after every|p99|burst" /tmp/b9/warm-$m-$i.log
 done
done
echo DONE $(date +%T)
