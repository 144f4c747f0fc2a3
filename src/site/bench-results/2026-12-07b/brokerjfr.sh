# JFR of the embedded broker (attached with jcmd once it runs), the after jar with the Avro window encoding against compact, EOS
cd /tmp/kc
for e in avro compact; do
  rm -f /tmp/b9/broker-$e.jfr
  java -jar kelvin.jar bench pipeline --buildings 10000 --points 5 --minutes 30 --partitions 12 --guarantee exactly_once_v2 --set kelvin.window.store.encoding=$e --data-dir /tmp/b9/data-j --output /tmp/b9/brokerjfr-$e.json > /tmp/b9/brokerjfr-$e.log 2>&1 &
  B=$!
  for i in $(seq 1 100); do pid=$(pgrep -f KafkaChildMain | head -1); [ -n "$pid" ] && break; sleep 0.2; done
  sleep 3
  jcmd $pid JFR.start name=b settings=/tmp/kp/fast.jfc filename=/tmp/b9/broker-$e.jfr dumponexit=true > /dev/null
  wait $B
  rm -rf /tmp/b9/data-j
  grep -E "closing readings sent|p99|burst timeline" /tmp/b9/brokerjfr-$e.log | grep -v INFO
done
echo DONE
