#!/bin/bash
# Median per-collector durations over 12 cycles: the published exporter on DATA (a scale-harness data directory, e.g.
# /var/tmp/oie-scale/data-1000-1000000: node.xml, conntrack.txt, feeds/) with the test driver in-process.
# usage: bench/scale/collector-durations.sh BINARY DATA [exporter flags…]   e.g. … -collector.disk_info
set -euo pipefail
bin=$1 data=$2; shift 2
port=19390 out=$(mktemp)
"$bin" -web.listen-address=127.0.0.1:$port -libvirt.uri="test://$data/node.xml" -conntrack.path="$data/conntrack.txt" \
  -collection.interval=3s -customlist.enable -customlist.path="$data/feeds/custom-ips.txt" "$@" > "$out.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out" "$out.log"' EXIT
sleep 12   # the first cycles warm the facts cache and the buffers
last=""
for _ in $(seq 200); do
  metrics=$(curl -s 127.0.0.1:$port/metrics || true)
  cur=$(grep 'stage="collectors"' <<<"$metrics" || true)
  if [ -n "$cur" ] && [ "$cur" != "$last" ]; then
    grep -E '^oie_exporter_collector_duration_seconds|stage="collectors"' <<<"$metrics" >> "$out"; last=$cur
  fi
  [ "$(grep -c 'stage="collectors"' "$out")" -ge 12 ] && break
  sleep 0.5
done
[ -s "$out" ] || { echo "no cycle's durations seen; the exporter said:" >&2; cat "$out.log" >&2; exit 1; }
python3 - "$out" <<'PY'
import collections, statistics, sys
durations = collections.defaultdict(list)
for line in open(sys.argv[1]):
    key, value = line.rsplit(' ', 1)
    durations[key].append(float(value) * 1000)
for key, values in durations.items():
    print(f"{statistics.median(values):7.2f} ms  n={len(values)}  {key}")
PY
