#!/bin/bash
# Scale harness (issue 6): the published Native AOT exporter on a libvirt test-driver node of 1,000 OpenStack
# instances (2 disks, 2 NICs with an IPv4 and an IPv6 fixed IP each), a 1,000,000-flow conntrack capture touching them,
# and all four threat feeds served over HTTP from 127.0.0.1 — then Debian's prometheus-libvirt-exporter on the same
# node file for comparison. By default a private libvirtd serves the node, as on a compute node; --libvirt driver
# opens the test driver inside each exporter instead. Prints one markdown table and writes it to --out.
#
# usage: bench/scale/run.sh [options]
#   --instances N          domains in the node file (1000)
#   --flows N              conntrack entries in the capture (1000000)
#   --cycles N             collection cycles watched per mode (40)
#   --interval D           -collection.interval (2s; 8s with --conntrack-source kernel: the kernel alone takes ≈ 2 s
#                          to dump 1 M entries here, the tool ≈ 4 s to print them, and a read that outlasts
#                          -conntrack.timeout, 80 % of the interval, is rejected)
#   --requests N           scrapes per `ab` run against the exporter (2000), --concurrency C (50)
#   --peer-requests N      scrapes in the peer's concurrent run (100; each costs it a full libvirt pass)
#   --bursts N             rounds of --concurrency simultaneous `ab` scrapes, 1 s apart (20)
#   --scrape-interval D    after the `ab` runs, --concurrency Prometheus-like scrapers (scrapers.py: keep-alive, gzip)
#                          scrape every D (1s) for --scrape-duration D (30s), with spread, then aligned phases;
#                          --scrape-duration 0 skips them
#   --conntrack-source S   text (default): measure -conntrack.path=capture (`path`) and -conntrack.command=fake tool
#                          (`command`); kernel: measure -conntrack.source=netlink (`netlink`) and the seed's default,
#                          the real conntrack tool (`cli`), both against a kernel table (see --netns)
#   --netns NS             run the exporter, the feed server and the scrapers inside network namespace NS (whose
#                          kernel conntrack table the kernel sources then read; fill it e.g. with the shared
#                          infra's conntrack-bulk.sh); the peer stays in the root namespace. With kernel and no
#                          --netns, the harness makes namespace oie-scale-ct, loads the capture's flows into its
#                          table (ct_restore.py + conntrack -R, nf_conntrack_max raised for the run) and removes it
#   --libvirt M            daemon (default): both exporters connect to a private libvirtd serving the test driver
#                          over its socket (test+unix://NODE?socket=…); driver: both open test://NODE in-process
#   --port-base P          exporter on P, feed server on P+1, peer on P+57 (19120)
#   --binary PATH          use this exporter instead of publishing one
#   --flags "F …"          more exporter flags, e.g. "-collector.memory -collector.vcpu" (issue 18's opt-in collectors)
#   --no-peer              skip prometheus-libvirt-exporter
#   --work DIR             generated data and logs (/var/tmp/oie-scale); --out FILE results (DIR/results.md)
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$REPO/bench/scale"
INSTANCES=1000 FLOWS=1000000 CYCLES=40 INTERVAL= REQUESTS=2000 CONCURRENCY=50 PEER_REQUESTS=100 BURSTS=20
SOURCE=text NETNS="" BINARY="" EXTRA_FLAGS="" PEER=1 WORK=/var/tmp/oie-scale OUT="" LIBVIRT=daemon PORT_BASE=19120
SCRAPE_INTERVAL=1s SCRAPE_DURATION=30s
PIDS=()
LIBVIRTD_PID=""
OWN_NETNS="" CONNTRACK_MAX_BEFORE=""
NS=()   # the command prefix that runs something in --netns, empty without it

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-0}"; }

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --instances) INSTANCES=$2; shift ;;
      --flows) FLOWS=$2; shift ;;
      --cycles) CYCLES=$2; shift ;;
      --interval) INTERVAL=$2; shift ;;
      --requests) REQUESTS=$2; shift ;;
      --concurrency) CONCURRENCY=$2; shift ;;
      --peer-requests) PEER_REQUESTS=$2; shift ;;
      --bursts) BURSTS=$2; shift ;;
      --scrape-interval) SCRAPE_INTERVAL=$2; shift ;;
      --scrape-duration) SCRAPE_DURATION=$2; shift ;;
      --conntrack-source) SOURCE=$2; shift ;;
      --netns) NETNS=$2; shift ;;
      --libvirt) LIBVIRT=$2; shift ;;
      --port-base) PORT_BASE=$2; shift ;;
      --binary) BINARY=$2; shift ;;
      --flags) EXTRA_FLAGS=$2; shift ;;
      --no-peer) PEER=0 ;;
      --work) WORK=$2; shift ;;
      --out) OUT=$2; shift ;;
      -h|--help) usage ;;
      *) echo "unknown option $1" >&2; usage 2 ;;
    esac
    shift
  done
  case "$SOURCE" in text|kernel) ;; *) echo "--conntrack-source is text or kernel" >&2; exit 2 ;; esac
  case "$LIBVIRT" in daemon|driver) ;; *) echo "--libvirt is daemon or driver" >&2; exit 2 ;; esac
  [ -n "$INTERVAL" ] || { [ "$SOURCE" = kernel ] && INTERVAL=8s || INTERVAL=2s; }
  [[ ! "$SCRAPE_INTERVAL" =~ ^[0-9.]+$ ]] || SCRAPE_INTERVAL+=s
  [[ ! "$SCRAPE_DURATION" =~ ^[0-9.]+$ ]] || SCRAPE_DURATION+=s
  EXPORTER_PORT=$PORT_BASE FEED_PORT=$((PORT_BASE + 1)) PEER_PORT=$((PORT_BASE + 57))
  OUT=${OUT:-$WORK/results.md}
}

log() { printf '== %s\n' "$*" >&2; }

# Stops what this script started, by PID (each is a session leader: its children go with it).
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  [ -z "$OWN_NETNS" ] || ip netns del "$OWN_NETNS" 2>/dev/null || true
  [ -z "$CONNTRACK_MAX_BEFORE" ] || sysctl -qw net.netfilter.nf_conntrack_max="$CONNTRACK_MAX_BEFORE" || true
}

stop() {
  local pid=$1
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
}

install_deps() {
  local missing=()
  command -v ab >/dev/null || missing+=(apache2-utils)
  command -v curl >/dev/null || missing+=(curl)
  command -v python3 >/dev/null || missing+=(python3)
  [ "$SOURCE" = text ] || command -v conntrack >/dev/null || missing+=(conntrack)
  [ -e /usr/lib/x86_64-linux-gnu/libvirt.so.0 ] || ldconfig -p | grep -q 'libvirt\.so\.0' || missing+=(libvirt0)
  [ "$PEER" = 0 ] || command -v prometheus-libvirt-exporter >/dev/null || missing+=(prometheus-libvirt-exporter)
  if [ "$LIBVIRT" = daemon ]; then
    command -v libvirtd >/dev/null || missing+=(libvirt-daemon-system)
    command -v virsh >/dev/null || missing+=(libvirt-clients)
  fi
  [ ${#missing[@]} = 0 ] && return
  log "installing ${missing[*]}"
  # Debian would start the peer (:9177) and libvirtd as services on install; policy-rc.d keeps them stopped.
  local policy=/usr/sbin/policy-rc.d created=0
  [ -e $policy ] || { printf '#!/bin/sh\nexit 101\n' > $policy; chmod +x $policy; created=1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ $created = 0 ] || rm -f $policy
}

publish() {
  if [ -n "$BINARY" ]; then EXPORTER=$BINARY; return; fi
  log "publishing the Native AOT binary (warnings as errors)"
  dotnet publish "$REPO/src/Oie.Host" -c Release -r linux-x64 -o "$WORK/publish" -warnaserror -nologo -v q >&2
  EXPORTER=$WORK/publish/openstack_instance_exporter
}

generate() {
  local data="$WORK/data-$INSTANCES-$FLOWS"
  NODE="$data/node.xml" DATA=$data
  if [ ! -s "$data/done" ]; then
    log "generating $INSTANCES instances and $FLOWS flows into $data"
    mkdir -p "$data"
    python3 "$HERE/gen_node.py" "$INSTANCES" > "$NODE"
    python3 "$HERE/gen_data.py" "$data" "$INSTANCES" "$FLOWS"
    echo ok > "$data/done"
  fi
  # The fake tool: `conntrack -L -o extended -f FAMILY` printing that family's part of the capture.
  FAKE_TOOL="$WORK/fake-conntrack"
  cat > "$FAKE_TOOL" <<EOF
#!/bin/sh
family=ipv4
while [ \$# -gt 0 ]; do [ "\$1" = -f ] && family=\$2; shift; done
cat "$data/conntrack-\$family.txt"
echo "conntrack v1.4.7 (conntrack-tools): \$(wc -l < "$data/conntrack-\$family.txt") flow entries have been shown." >&2
EOF
  chmod +x "$FAKE_TOOL"
}

# The node's libvirtd: the test driver parses the node file there, not in the measured exporter, as qemu's domains live
# in a compute node's libvirtd. LIBVIRT_DRIVER_DIR points at an empty directory so that it loads no driver module (the
# test and remote drivers are built in): it then takes none of /run/libvirt's driver locks (which a running libvirtd
# holds, refusing a second one), autostarts no network (virbr0) or VM and touches no host state beyond its own dir.
start_libvirtd() {
  local dir="$WORK/libvirt"
  [ -z "$LIBVIRTD_PID" ] || stop "$LIBVIRTD_PID"
  rm -rf "$dir"; mkdir -p "$dir/run" "$dir/no-drivers"
  cat > "$dir/libvirtd.conf" <<EOF
unix_sock_dir = "$dir/run"
unix_sock_ro_perms = "0777"
unix_sock_rw_perms = "0770"
auth_unix_ro = "none"
auth_unix_rw = "none"
EOF
  LIBVIRT_DRIVER_DIR="$dir/no-drivers" setsid libvirtd -f "$dir/libvirtd.conf" -p "$dir/libvirtd.pid" \
    > "$dir/libvirtd.log" 2>&1 &
  LIBVIRTD_PID=$!; PIDS+=("$LIBVIRTD_PID")
  # test:///default, not the node: the readiness check must not leave a parsed node behind in libvirtd's heap
  for _ in $(seq 100); do
    virsh -q -c "test+unix:///default?socket=$dir/run/libvirt-sock" list --all >/dev/null 2>&1 && return
    kill -0 "$LIBVIRTD_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "libvirtd did not answer on $dir/run/libvirt-sock; see $dir/libvirtd.log" >&2; exit 1
}

# The namespace the exporter runs in. For the kernel sources without --netns: a new one whose kernel table holds the
# capture's flows (the same flows the text modes read; duplicated original tuples, which the kernel refuses, left out).
enter_netns() {
  if [ -z "$NETNS" ] && [ "$SOURCE" = kernel ]; then
    NETNS=oie-scale-ct OWN_NETNS=oie-scale-ct
    ip netns del "$NETNS" 2>/dev/null || true
    ip netns add "$NETNS"
    CONNTRACK_MAX_BEFORE=$(sysctl -n net.netfilter.nf_conntrack_max)
    [ "$CONNTRACK_MAX_BEFORE" -ge $((FLOWS * 5 / 4)) ] || sysctl -qw net.netfilter.nf_conntrack_max=$((FLOWS * 5 / 4))
    if [ ! -s "$DATA/conntrack-restore.txt" ]; then   # written whole or not at all: a later run reuses it
      python3 "$HERE/ct_restore.py" "$DATA/conntrack.txt" > "$DATA/conntrack-restore.txt.new"
      mv "$DATA/conntrack-restore.txt.new" "$DATA/conntrack-restore.txt"
    fi
    log "loading $(wc -l < "$DATA/conntrack-restore.txt") flows into namespace $NETNS's conntrack table"
    ip netns exec "$NETNS" conntrack -R "$DATA/conntrack-restore.txt" >&2
  fi
  [ -n "$NETNS" ] || return 0
  NS=(ip netns exec "$NETNS")
  ip -n "$NETNS" link set lo up
}

start_feed_server() {
  "${NS[@]}" python3 -m http.server "$FEED_PORT" --bind 127.0.0.1 --directory "$DATA/feeds" > "$WORK/feeds-http.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 50); do "${NS[@]}" curl -sf "http://127.0.0.1:$FEED_PORT/drop.txt" -o /dev/null && return; sleep 0.1; done
  echo "feed server did not start" >&2; exit 1
}

exporter_args() {
  local mode=$1 feeds="http://127.0.0.1:$FEED_PORT"
  local args=(-web.listen-address="127.0.0.1:$EXPORTER_PORT" -libvirt.uri="$LIBVIRT_URI"
    -collection.interval="$INTERVAL" -web.max-requests=0 -feeds.cache-dir=
    -tor.enable -tor.url="$feeds/onionoo-details.json"
    -spamhaus.enable -spamhaus.url="$feeds/drop.txt" -spamhaus.ipv6.url="$feeds/dropv6.txt"
    -emergingthreats.enable -emergingthreats.url="$feeds/compromised-ips.txt"
    -customlist.enable -customlist.path="$DATA/feeds/custom-ips.txt")
  case "$mode" in
    path) args+=(-conntrack.path="$DATA/conntrack.txt") ;;
    command) args+=(-conntrack.command="$FAKE_TOOL") ;;
    netlink) args+=(-conntrack.source=netlink) ;;
    cli) ;;   # the seed's default: `conntrack -L -o extended -f ipv4` and `-f ipv6`, here in the namespace
  esac
  # shellcheck disable=SC2206 # word splitting is the point: one flag per word
  [ -n "$EXTRA_FLAGS" ] && args+=($EXTRA_FLAGS)
  printf '%s\n' "$EXPORTER" "${args[@]}"
}

# ab against URL; writes NAME.json (latency percentiles, CPU of PID per request).
scrape_load() {
  local name=$1 pid=$2 url=$3 requests=$4 concurrency=$5 header=${6:-}
  local before after
  before=$(python3 "$HERE/scale.py" cpu "$pid" ${LIBVIRTD_PID:+"$LIBVIRTD_PID"})
  "${NS[@]}" ab -q -s 300 -c "$concurrency" -n "$requests" ${header:+-H "$header"} "$url" > "$WORK/$name.ab.txt" 2>&1 || true
  after=$(python3 "$HERE/scale.py" cpu "$pid" ${LIBVIRTD_PID:+"$LIBVIRTD_PID"})
  python3 "$HERE/scale.py" ab "$WORK/$name.ab.txt" "$before" "$after" "$concurrency" > "$RESULTS/$name.json"
}

# ROUNDS bursts of CONCURRENCY simultaneous scrapes, 1 s apart (scrapers whose schedules line up); writes NAME.json.
scrape_bursts() {
  local name=$1 pid=$2 url=$3 rounds=$4 concurrency=$5 before after round
  rm -f "$WORK/$name".*.tsv "$WORK/$name".*.ab.txt   # a longer earlier run's rounds must not count
  before=$(python3 "$HERE/scale.py" cpu "$pid")
  for round in $(seq "$rounds"); do
    "${NS[@]}" ab -q -s 60 -c "$concurrency" -n "$concurrency" -H "Accept-Encoding: gzip" -g "$WORK/$name.$round.tsv" "$url" \
      > "$WORK/$name.$round.ab.txt" 2>&1 || true
    sleep 1
  done
  after=$(python3 "$HERE/scale.py" cpu "$pid")
  python3 "$HERE/scale.py" bursts "$before" "$after" "$WORK/$name".*.tsv > "$RESULTS/$name.json"
}

# CONCURRENCY Prometheus-like scrapers, each on its own keep-alive connection, every SCRAPE_INTERVAL for
# SCRAPE_DURATION, with PHASE spread or aligned; writes NAME.json (none if it fails: the report then has no such row).
scrape_scheduled() {
  local name=$1 pid=$2 url=$3 phase=$4
  "${NS[@]}" python3 "$HERE/scrapers.py" "$url" --scrapers "$CONCURRENCY" --interval "$SCRAPE_INTERVAL" \
    --duration "$SCRAPE_DURATION" --phase "$phase" --pid "$pid" > "$RESULTS/$name.json" \
    || { log "scrapers.py ($phase) failed"; rm -f "$RESULTS/$name.json"; }
}

measure_exporter() {
  local mode=$1 url="http://127.0.0.1:$EXPORTER_PORT/metrics" pid
  local -a command
  mapfile -t command < <(exporter_args "$mode")
  # A fresh libvirtd each time: glibc keeps the node a previous client's connection parsed (and freed) in its RSS
  [ "$LIBVIRT" = driver ] || start_libvirtd
  log "exporter, conntrack $mode: start"
  "${NS[@]}" python3 "$HERE/scale.py" launch "$url" "$WORK/exporter.pid" "$WORK/exporter-$mode.log" -- "${command[@]}" \
    > "$RESULTS/$mode-start.json"
  pid=$(cat "$WORK/exporter.pid"); PIDS+=("$pid")
  log "exporter, conntrack $mode: $CYCLES cycles"
  "${NS[@]}" python3 "$HERE/scale.py" cycles "$url" "$pid" "$CYCLES" ${LIBVIRTD_PID:+"$LIBVIRTD_PID"} \
    > "$RESULTS/$mode-cycles.json"
  "${NS[@]}" python3 "$HERE/scale.py" sizes "$url" > "$RESULTS/$mode-sizes.json"
  if [ "$mode" = "${MODES[0]}" ]; then
    log "exporter, conntrack $mode: $REQUESTS scrapes, $CONCURRENCY concurrent, gzip and plain"
    scrape_load "$mode-ab-gzip" "$pid" "$url" "$REQUESTS" "$CONCURRENCY" "Accept-Encoding: gzip"
    scrape_load "$mode-ab-plain" "$pid" "$url" "$REQUESTS" "$CONCURRENCY"
    scrape_load "$mode-ab-one" "$pid" "$url" 200 1 "Accept-Encoding: gzip"
    scrape_bursts "$mode-bursts" "$pid" "$url" "$BURSTS" "$CONCURRENCY"
    if [[ ! "$SCRAPE_DURATION" =~ ^0*(\.0*)?(s|ms)?$ ]]; then
      log "exporter, conntrack $mode: $CONCURRENCY keep-alive scrapers every $SCRAPE_INTERVAL for $SCRAPE_DURATION," \
        "spread, then aligned"
      scrape_scheduled "$mode-scrapers-spread" "$pid" "$url" spread
      scrape_scheduled "$mode-scrapers-aligned" "$pid" "$url" aligned
    fi
  fi
  stop "$pid"
}

measure_peer() {
  local url="http://127.0.0.1:$PEER_PORT/metrics" pid
  local -a NS=()   # the peer listens in the root namespace; ab must reach it there
  log "peer prometheus-libvirt-exporter: $PEER_REQUESTS scrapes, $CONCURRENCY concurrent"
  [ "$LIBVIRT" = driver ] || start_libvirtd
  setsid prometheus-libvirt-exporter --libvirt.uri="$LIBVIRT_URI" --libvirt.export-nova-metadata \
    --web.listen-address="127.0.0.1:$PEER_PORT" > "$WORK/peer.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  for _ in $(seq 100); do curl -sf "$url" -o /dev/null && break; sleep 0.2; done
  python3 "$HERE/scale.py" sizes "$url" > "$RESULTS/peer-sizes.json"
  scrape_load peer-ab-one "$pid" "$url" 10 1 "Accept-Encoding: gzip"
  scrape_load peer-ab-gzip "$pid" "$url" "$PEER_REQUESTS" $((PEER_REQUESTS < CONCURRENCY ? PEER_REQUESTS : CONCURRENCY)) \
    "Accept-Encoding: gzip"
  stop "$pid"
}

write_meta() {
  python3 - "$RESULTS/meta.json" "$*" "$INSTANCES" "$FLOWS" "$LIBVIRT" "$INTERVAL" "${MODES[@]}" <<'EOF'
import json, os, platform, subprocess, sys, time
path, command, instances, flows, libvirt = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
interval, modes = sys.argv[6], sys.argv[7:]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
json.dump({"command": command, "instances": instances, "flows": flows, "modes": modes, "libvirt": libvirt,
           "interval": interval,
           "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
           "machine": f"{cpu}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start"},
          open(path, "w"))
EOF
}

main() {
  local invocation="bench/scale/run.sh $*"
  parse_args "$@"
  trap cleanup EXIT
  mkdir -p "$WORK"
  RESULTS="$WORK/results"; rm -rf "$RESULTS"; mkdir -p "$RESULTS"
  if [ "$SOURCE" = kernel ]; then MODES=(netlink cli); else MODES=(path command); fi
  write_meta "$invocation"
  install_deps
  publish
  generate
  if [ "$LIBVIRT" = daemon ]; then
    LIBVIRT_URI="test+unix://$NODE?socket=$WORK/libvirt/run/libvirt-sock"
  else
    LIBVIRT_URI="test://$NODE"
    python3 "$HERE/scale.py" driver "$NODE" > "$RESULTS/test-driver.json"
  fi
  enter_netns
  start_feed_server
  local mode
  for mode in "${MODES[@]}"; do measure_exporter "$mode"; done
  [ "$PEER" = 0 ] || measure_peer
  python3 "$HERE/scale.py" report "$RESULTS" | tee "$OUT"
  log "results written to $OUT (raw JSON in $RESULTS)"
}

main "$@"
