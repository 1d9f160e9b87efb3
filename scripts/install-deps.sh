#!/bin/bash
# Installs what building, running and testing the exporter needs on Debian 12, when it is missing:
# libvirt0 (the exporter's libvirt.so.0), libvirt-clients (virsh, for poking at node files), prometheus (promtool,
# to lint the exposition), clang + zlib1g-dev (the Native AOT linker step), and for the conntrack collector and its
# real-kernel test: conntrack (the tool it runs), iproute2 (ip netns, ss), nftables (a `ct state` rule makes a namespace
# track connections), socat and iputils-ping (the test's TCP/UDP/ICMP flows, inside its own namespaces only);
# dpkg-dev (dpkg-shlibdeps, for packaging/deb/build.sh and the .deb test); and for the end-to-end suite
# (tests/Oie.EndToEnd.Tests, as root): libvirt-daemon-system, qemu-system-x86 and qemu-utils (a real libvirtd and a TCG
# QEMU guest; the suite starts the daemons itself, no systemd needed); and for the conntrack-zone tests
# (tests/Oie.Zones.Tests, as root): openvswitch-switch, ovn-host and ovn-central (a real ovsdb-server, ovs-vswitchd and
# OVN chassis the tests start under their own directories) and iptables (iptables-save of Neutron's raw-table zone rules
# in a network namespace of the test's own).
# The .NET 10 SDK must already be on PATH.
set -euo pipefail
need=()
for pkg in libvirt0 libvirt-clients prometheus clang zlib1g-dev systemd conntrack iproute2 nftables socat iputils-ping curl procps python3 \
           dpkg-dev libvirt-daemon-system qemu-system-x86 qemu-utils openvswitch-switch ovn-host ovn-central iptables; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "the .NET 10 SDK (dotnet) is required on PATH" >&2; exit 1; }
