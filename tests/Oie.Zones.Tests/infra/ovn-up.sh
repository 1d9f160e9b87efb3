#!/bin/bash
# A real OVN chassis for the tests: a copy of the build machines' shared infra/ovn-up.sh (/work/shared/infra), with
# one change: ovs-vswitchd runs inside the network namespace $OVN_NETNS when it is set (the userspace datapath makes a
# persistent TAP device per internal port; in a namespace of the test's own they go away with it instead of staying
# behind in the host's). The test fixture passes fresh port ids in $OVN_PORT_A / $OVN_PORT_B.
# ovsdb-server + ovs-vswitchd (userspace "netdev" datapath) + OVN NB/SB databases + ovn-northd + ovn-controller, all
# under $OIE_INFRA/ovn with their own sockets (nothing in /run/openvswitch is touched). Two logical switches each get
# one port with the SAME fixed IP; ovn-controller binds both and writes their conntrack zones into br-int's
# external_ids:  ovs-vsctl --db=unix:$W/db.sock get bridge br-int external_ids
# Needs: openvswitch-switch ovn-host ovn-central. Prints the db socket, the two port uuids and their zones.
# Stop with ovn-down.sh.
set -euo pipefail
W=${OIE_INFRA:-/tmp/oie-infra}/ovn
[ ! -d "$W" ] || bash "$(dirname "$0")/ovn-down.sh" >/dev/null 2>&1 || true
rm -rf "$W"; mkdir -p "$W"; cd "$W"
export OVS_RUNDIR=$W OVS_DBDIR=$W OVS_LOGDIR=$W OVN_RUNDIR=$W OVN_DBDIR=$W OVN_LOGDIR=$W
PORT_A=${OVN_PORT_A:-aaaaaaaa-0000-4000-8000-00000000000a}
PORT_B=${OVN_PORT_B:-bbbbbbbb-0000-4000-8000-00000000000b}
IP=${OVN_FIXED_IP:-10.0.0.5}
IN_NETNS=()
[ -z "${OVN_NETNS:-}" ] || IN_NETNS=(ip netns exec "$OVN_NETNS")

ovsdb-tool create conf.db /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server conf.db --remote=punix:$W/db.sock --pidfile=$W/ovsdb.pid --detach --log-file=$W/ovsdb.log
ovs-vsctl --db=unix:$W/db.sock --no-wait init
"${IN_NETNS[@]}" ovs-vswitchd unix:$W/db.sock --pidfile=$W/vswitchd.pid --detach --log-file=$W/vswitchd.log --disable-system
ovs-vsctl --db=unix:$W/db.sock --timeout=10 add-br br-int -- set bridge br-int datapath_type=netdev fail-mode=secure

ovsdb-tool create nb.db /usr/share/ovn/ovn-nb.ovsschema
ovsdb-tool create sb.db /usr/share/ovn/ovn-sb.ovsschema
ovsdb-server nb.db --remote=punix:$W/nb.sock --pidfile=$W/nb.pid --unixctl=$W/nb.ctl --detach --log-file=$W/nb.log
ovsdb-server sb.db --remote=punix:$W/sb.sock --pidfile=$W/sb.pid --unixctl=$W/sb.ctl --detach --log-file=$W/sb.log
ovn-northd --ovnnb-db=unix:$W/nb.sock --ovnsb-db=unix:$W/sb.sock --pidfile=$W/northd.pid --detach --log-file=$W/northd.log
ovs-vsctl --db=unix:$W/db.sock set open . external_ids:system-id=hv1 external_ids:ovn-remote=unix:$W/sb.sock \
  external_ids:ovn-encap-type=geneve external_ids:ovn-encap-ip=127.0.0.1
ovn-controller unix:$W/db.sock --pidfile=$W/controller.pid --detach --log-file=$W/controller.log

N="ovn-nbctl --db=unix:$W/nb.sock"
$N ls-add tenant-a -- ls-add tenant-b
$N lsp-add tenant-a "$PORT_A" -- lsp-set-addresses "$PORT_A" "fa:16:3e:00:00:0a $IP"
$N lsp-add tenant-b "$PORT_B" -- lsp-set-addresses "$PORT_B" "fa:16:3e:00:00:0b $IP"
$N acl-add tenant-a from-lport 1000 ip allow-related
$N acl-add tenant-b from-lport 1000 ip allow-related
# the VM's tap as Nova/os-vif plugs it: an OVS port whose iface-id is the Neutron port id
ovs-vsctl --db=unix:$W/db.sock add-port br-int "tap${PORT_A:0:11}" -- set interface "tap${PORT_A:0:11}" type=internal external_ids:iface-id="$PORT_A"
ovs-vsctl --db=unix:$W/db.sock add-port br-int "tap${PORT_B:0:11}" -- set interface "tap${PORT_B:0:11}" type=internal external_ids:iface-id="$PORT_B"

for _ in $(seq 100); do
  ids=$(ovs-vsctl --db=unix:$W/db.sock get bridge br-int external_ids)
  if [[ $ids == *"ct-zone-$PORT_A="* && $ids == *"ct-zone-$PORT_B="* ]]; then
    za=$(ovs-vsctl --db=unix:$W/db.sock get bridge br-int "external_ids:ct-zone-$PORT_A" | tr -d '"')
    zb=$(ovs-vsctl --db=unix:$W/db.sock get bridge br-int "external_ids:ct-zone-$PORT_B" | tr -d '"')
    echo "ovsdb: unix:$W/db.sock"
    echo "port $PORT_A ip $IP zone $za"
    echo "port $PORT_B ip $IP zone $zb"
    exit 0
  fi
  sleep 0.1
done
echo "ovn-controller did not assign conntrack zones; see $W/controller.log" >&2
exit 1
