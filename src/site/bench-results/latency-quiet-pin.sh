cd /tmp/krun
# Run from /tmp/krun (kelvin.jar + lib). Pinned: the bench JVM on CPU 1, the broker it starts re-pinned to CPU 0.
run() { # $1 name, $2 pinned?
  if [ "$2" = yes ]; then
    taskset -c 1 java -jar kelvin.jar bench pipeline --buildings 10000 --points 2 --minutes 20 --partitions 12 --guarantee exactly_once_v2 --data-dir /tmp/lat2/data --output /tmp/lat2/$1.json > /tmp/lat2/$1.log 2>&1 &
    BP=$!
    for w in $(seq 1 100); do C=$(pgrep -P $BP java); [ -n "$C" ] && break; sleep 0.2; done
    sleep 1; for c in $(pgrep -P $BP); do taskset -a -p -c 0 $c > /dev/null; done
    echo "pinned broker $C to cpu0: $(taskset -p $C)"
    wait $BP
  else
    java -jar kelvin.jar bench pipeline --buildings 10000 --points 2 --minutes 20 --partitions 12 --guarantee exactly_once_v2 --data-dir /tmp/lat2/data --output /tmp/lat2/$1.json > /tmp/lat2/$1.log 2>&1
  fi
  echo "== $1"; grep -E "p99|burst timeline" /tmp/lat2/$1.log
}
for i in 1 2; do run pinned-$i yes; run t1-r$((i + 2)) no; done
echo DONE
