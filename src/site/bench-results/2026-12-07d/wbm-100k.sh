#!/bin/bash
cd /tmp/kw2
while pgrep -f mem.sh > /dev/null; do sleep 5; done
for m in 268435456 0; do
  java -Xmx1536m -jar kelvin.jar bench pipeline --buildings 100000 --points 2 --minutes 20 --partitions 12 --bursts 2 \
    --set kelvin.rocksdb.memory.bytes=$m --data-dir /tmp/kw2/data --output mem100k-$m.json > mem100k-$m.log 2>&1
  echo "100k mem=$m rc=$?"
done
