# before (/tmp/kp = 2132596) against compact window encoding (/tmp/kc), alternately, EOS
for i in 1 2 3 4 5 6 7; do  # run as "1 2", then "3 4" after a change to the encoding, then "5 6 7" (see README)
 for j in kp kc; do
  cd /tmp/$j
  echo "=== $j-$i $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -jar kelvin.jar bench pipeline --buildings 10000 --points 5 --minutes 30 --partitions 12 --guarantee exactly_once_v2 --data-dir /tmp/b9/data-$j --output /tmp/b9/$j-$i.json > /tmp/b9/$j-$i.log 2>&1
  rm -rf /tmp/b9/data-$j
  grep -E "^\((b|c)\)|ratios|after every|p99|burst" /tmp/b9/$j-$i.log
 done
done
echo DONE $(date +%T)
