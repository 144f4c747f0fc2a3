# The after jar (kc) writing its window store in Avro against compact (its default), alternately, EOS: is the slower burst the encoding's?
cd /tmp/kc
for i in 1 2; do
 for e in avro compact; do
  echo "=== enc-$e-$i $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -jar kelvin.jar bench pipeline --buildings 10000 --points 5 --minutes 30 --partitions 12 --guarantee exactly_once_v2 --set kelvin.window.store.encoding=$e --data-dir /tmp/b9/data-e --output /tmp/b9/enc-$e-$i.json > /tmp/b9/enc-$e-$i.log 2>&1
  rm -rf /tmp/b9/data-e
  grep -E "^\((b|c)\)|ratios|after every|p99|burst" /tmp/b9/enc-$e-$i.log
 done
done
echo DONE $(date +%T)
