cd /tmp/kc
for e in avro compact; do
  rm -f /tmp/b9/bcpu-$e.txt
  bash /tmp/b9/brokercpu.sh /tmp/b9/bcpu-$e.txt & S=$!
  java -jar kelvin.jar bench pipeline --buildings 10000 --points 5 --minutes 30 --partitions 12 --guarantee exactly_once_v2 --set kelvin.window.store.encoding=$e --data-dir /tmp/b9/data-e --output /tmp/b9/enc2-$e.json > /tmp/b9/enc2-$e.log 2>&1
  kill $S; rm -rf /tmp/b9/data-e
  grep -E "closing readings sent|live burst done|p99|burst timeline" /tmp/b9/enc2-$e.log
done
echo DONE
