#!/bin/bash
cd /tmp/kw
for i in 1 2; do
  for t in 1 2; do
    java -jar kelvin.jar bench pipeline --buildings 10000 --points 5 --minutes 30 --partitions 12 --bursts 4 \
      --set num.stream.threads=$t --data-dir /tmp/kw/data --output thr$t-$i.json > thr$t-$i.log 2>&1
    echo "threads=$t run=$i rc=$?"
  done
done
