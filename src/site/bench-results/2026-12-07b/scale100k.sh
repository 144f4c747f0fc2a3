# 100k buildings with the compact window encoding (kc), the scale series' command
cd /tmp/kc
echo "=== scale-100000 $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1536m -jar kelvin.jar bench pipeline --buildings 100000 --points 2 --minutes 20 --partitions 12 --guarantee exactly_once_v2 --data-dir /tmp/b9/data-s --output /tmp/b9/scale-100000.json > /tmp/b9/scale-100000.log 2>&1
rm -rf /tmp/b9/data-s
grep -E "^\((b|c)\)|ratios|after every|p99|burst|state|decisions" /tmp/b9/scale-100000.log
echo DONE $(date +%T)
