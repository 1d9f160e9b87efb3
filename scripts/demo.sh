#!/bin/bash
# Builds the exporter (Native AOT) and runs it on the embedded default: the bundled libvirt test-driver node of
# OpenStack instances in samples/, a bundled conntrack capture of their flows (samples/conntrack.txt, read afresh
# every cycle as if it were the live table) and the four threat feeds from bundled lists (samples/feeds, file:// URLs,
# as an air-gapped cloud mirrors them) — no hypervisor, no network. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
dotnet publish src/Oie.Host -c Release -r linux-x64 -o publish -v quiet -nologo
ADDR=${OIE_DEMO_ADDRESS:-127.0.0.1:9120}
echo "metrics: http://$ADDR/metrics"
exec ./publish/openstack_instance_exporter \
  -libvirt.uri="test://$PWD/samples/node.xml" \
  -conntrack.path=samples/conntrack.txt \
  -tor.enable -tor.url="file://$PWD/samples/feeds/onionoo-details.json" \
  -spamhaus.enable -spamhaus.url="file://$PWD/samples/feeds/drop.txt" -spamhaus.ipv6.url="file://$PWD/samples/feeds/dropv6.txt" \
  -emergingthreats.enable -emergingthreats.url="file://$PWD/samples/feeds/compromised-ips.txt" \
  -customlist.enable -customlist.path="$PWD/samples/feeds/custom-ips.txt" \
  -feeds.cache-dir="${TMPDIR:-/tmp}/oie-demo-feeds" \
  -web.listen-address="$ADDR" \
  -collection.interval=5s \
  -log.level=info "$@"
