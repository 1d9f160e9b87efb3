namespace Oie.Zones;

/// <summary>Where a node's Neutron backend keeps its per-port conntrack zones.</summary>
public enum ZoneBackend
{
    /// <summary>No backend found (or none asked for): every entry is attributed by address.</summary>
    None,

    /// <summary>ML2/OVN: ovn-controller's <c>ct-zone-&lt;logical port&gt;</c> keys in the integration bridge's external_ids.</summary>
    Ovn,

    /// <summary>ML2/OVS with the openvswitch firewall: the port's local VLAN, <c>other_config:tag</c> of its OVSDB Port.</summary>
    Ovs,

    /// <summary>ML2/OVS iptables_hybrid or the Linux bridge agent: raw-table <c>-j CT --zone N</c> rules per device.</summary>
    Iptables,
}
