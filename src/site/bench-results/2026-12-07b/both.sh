# before (/tmp/kp = 2132596) against the compact window encoding (/tmp/kc = 2699734), alternately, both guarantees
for i in 1 2; do
 for j in kp kc; do
  cd /tmp/$j
  echo "=== both-$j-$i $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -jar kelvin.jar bench pipeline --buildings 10000 --points 5 --minutes 30 --partitions 12 --guarantee both --data-dir /tmp/b9/data-$j --output /tmp/b9/both-$j-$i.json > /tmp/b9/both-$j-$i.log 2>&1
  rm -rf /tmp/b9/data-$j
  grep -E "^\((b|c)\)|ratios|after every|p99|burst" /tmp/b9/both-$j-$i.log
 done
done
echo DONE $(date +%T)
