#!/bin/bash
# Stops what ovn-up.sh started, by the PIDs it recorded, and removes its directory (as /work/shared/infra/ovn-down.sh;
# a killed daemon counts as gone once it is a zombie: whoever adopted it reaps it, maybe later).
W=${OIE_INFRA:-/tmp/oie-infra}/ovn
running() { [ -r "/proc/$1/stat" ] && ! awk '{ exit !($3 == "Z" || $3 == "X") }' "/proc/$1/stat" 2>/dev/null; }
for p in controller northd sb nb vswitchd ovsdb; do
  f=$W/$p.pid
  [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
done
for p in controller northd sb nb vswitchd ovsdb; do
  f=$W/$p.pid
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  for _ in $(seq 100); do running "$pid" || break; sleep 0.05; done
  if running "$pid"; then kill -9 "$pid" 2>/dev/null; fi
done
rm -rf "$W"
