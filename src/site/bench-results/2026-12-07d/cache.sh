#!/bin/bash
cd /tmp/kw3
run() { # name, size args, cache bytes
  java $1 -jar kelvin.jar bench pipeline $2 --partitions 12 --set kelvin.rocksdb.block.cache.bytes=$3 \
    --data-dir /tmp/kw3/data --output $4.json > $4.log 2>&1
  echo "$4 rc=$?"
}
run -Xmx1536m "--buildings 100000 --points 2 --minutes 20 --bursts 2" 268435456 c100k-cache
run -Xmx1536m "--buildings 100000 --points 2 --minutes 20 --bursts 2" 0 c100k-none
run "" "--buildings 10000 --points 5 --minutes 30 --bursts 3" 268435456 c10k-cache-1
run "" "--buildings 10000 --points 5 --minutes 30 --bursts 3" 0 c10k-none-1
run -Xmx1536m "--buildings 100000 --points 2 --minutes 20 --bursts 2" 0 c100k-none-2
run -Xmx1536m "--buildings 100000 --points 2 --minutes 20 --bursts 2" 268435456 c100k-cache-2
