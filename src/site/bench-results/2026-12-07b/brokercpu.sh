# Samples the embedded broker's CPU (utime+stime, ticks of 10 ms) every 100 ms while a bench runs: "epoch_ms ticks"
out=$1
while true; do
  pid=$(pgrep -f KafkaChildMain | head -1)
  if [ -n "$pid" ] && [ -r /proc/$pid/stat ]; then
    echo "$(date +%s%3N) $(awk '{print $14+$15}' /proc/$pid/stat)" >> $out
  fi
  sleep 0.1
done
