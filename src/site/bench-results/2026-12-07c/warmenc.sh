# 10k x 5 x 30, EOS, six bursts: the Avro window encoding against the compact default, alternately (same jar)
cd /tmp/kw
for i in 1 2; do
 for e in avro compact; do
  echo "=== $e-$i $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -jar kelvin.jar bench pipeline --buildings 10000 --points 5 --minutes 30 --partitions 12 --guarantee exactly_once_v2 --bursts 6 \
       --set kelvin.window.store.encoding=$e --data-dir /tmp/b10/dw --output /tmp/b10/warmenc-$e-$i.json > /tmp/b10/warmenc-$e-$i.log 2>&1
  grep -E "^setpoint|ratios|after every" /tmp/b10/warmenc-$e-$i.log
 done
done
echo DONE $(date +%T)
