# Jar C (B + the figures after every building's first window): 10k x 5 x 30, both guarantees, twice.
cd /tmp/krun4
for i in 1 2; do
  echo "=== steady-$i $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -jar kelvin.jar bench pipeline --buildings 10000 --points 5 --minutes 30 --partitions 12 --guarantee both --data-dir /tmp/b8/data --output /tmp/b8/steady-$i.json > /tmp/b8/steady-$i.log 2>&1
  grep -E "^\((b|c)\)|ratios|after every|p99|burst" /tmp/b8/steady-$i.log
done

echo DONE $(date +%T)
