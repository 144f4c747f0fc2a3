#!/bin/bash
cd /tmp/kw2
for i in 1 2; do
  for m in 268435456 0; do
    java -jar kelvin.jar bench pipeline --buildings 10000 --points 5 --minutes 30 --partitions 12 --bursts 3 \
      --set kelvin.rocksdb.memory.bytes=$m --data-dir /tmp/kw2/data --output mem$m-$i.json > mem$m-$i.log 2>&1
    echo "mem=$m run=$i rc=$?"
  done
done
