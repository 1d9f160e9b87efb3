using Microsoft.Extensions.Time.Testing;
using Oie.Zones.Tests.Infra;

namespace Oie.Zones.Tests;

/// <summary>
/// ML2/OVS with the openvswitch firewall against a real ovsdb-server holding the rows the Neutron OVS agent and os-vif
/// write: two tenants' ports on different networks have different local VLANs, which are their zones.
/// </summary>
public sealed class OvsAgentTests
{
    private static readonly string PortA = Guid.NewGuid().ToString();
    private static readonly string PortA2 = Guid.NewGuid().ToString();
    private static readonly string PortB = Guid.NewGuid().ToString();
    private static readonly string NetworkA = Guid.NewGuid().ToString();
    private static readonly string NetworkB = Guid.NewGuid().ToString();

    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    private static OvsdbServer Node()
    {
        var server = new OvsdbServer();
        server.AddAgentPort(PortA, 1, NetworkA, 1001);
        server.AddAgentPort(PortA2, 1, NetworkA, 1001);
        server.AddAgentPort(PortB, 2, NetworkB, 1002);
        // Not a Neutron VM port: the tunnel bridge's patch port (no iface-id, no other_config).
        server.Vsctl("--", "add-port", "br-int", "patch-tun", "--", "set", "Interface", "patch-tun", "type=patch", "options:peer=patch-int");
        // A port the agent has not bound yet: only os-vif's iface-id, and the dead VLAN tag (4095) on the Port.
        var unbound = Guid.NewGuid().ToString();
        server.Vsctl("--", "add-port", "br-int", "tap" + unbound[..11], "--", "set", "Interface", "tap" + unbound[..11],
            $"external_ids:iface-id={unbound}", "--", "set", "Port", "tap" + unbound[..11], "tag=4095");
        return server;
    }

    [SkippableFact]
    public void Each_port_is_in_its_networks_local_vlan()
    {
        Tools.SkipUnlessRoot();
        using var node = Node();
        using var source = ZoneMapSources.Ovs(node.Db);
        var map = source.Read(Deadline());

        Assert.Equal(ZoneBackend.Ovs, map.Backend);
        Assert.Equal(new[] { new KeyValuePair<string, ushort>(PortA, 1), new(PortA2, 1), new(PortB, 2) }.OrderBy(p => p.Key, StringComparer.Ordinal),
            map.Ports);
        Assert.Equal([1, 2], map.KnownZones);
        Assert.True(map.TryGetZone(PortB.ToUpperInvariant(), out var b));
        Assert.Equal(2, b);
    }

    [SkippableFact]
    public void A_changed_tag_and_a_removed_port_show_on_the_next_read()
    {
        Tools.SkipUnlessRoot();
        using var node = Node();
        using var source = ZoneMapSources.Ovs(node.Db);
        Assert.Equal(3, source.Read(Deadline()).Count);

        node.Vsctl("set", "Port", "tap" + PortA[..11], "other_config:tag=7", "tag=7");
        node.Vsctl("del-port", "br-int", "tap" + PortB[..11]);
        var map = source.Read(Deadline());

        Assert.True(map.TryGetZone(PortA, out var a));
        Assert.Equal(7, a);
        Assert.False(map.TryGetZone(PortB, out _));
        Assert.Equal([1, 7], map.KnownZones);
    }

    [SkippableFact]
    public void A_restarted_ovsdb_server_fails_one_read_and_the_next_reconnects()
    {
        Tools.SkipUnlessRoot();
        using var node = Node();
        using var source = ZoneMapSources.Ovs(node.Db);
        Assert.Equal(3, source.Read(Deadline()).Count);

        node.Stop();
        var error = Assert.Throws<ZoneMapException>(() => source.Read(Deadline()));
        Assert.Contains(node.Db.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("-ovs.db", error.Message, StringComparison.Ordinal);

        node.Start();
        Assert.Equal(3, source.Read(Deadline()).Count);
    }

    [SkippableFact]
    public void Auto_settles_on_ovs_when_iptables_has_no_neutron_rules()
    {
        Tools.SkipUnlessRoot();
        using var node = Node();
        using var ns = new RawTableNamespace();
        using var source = ZoneMapSources.Auto(node.Db, ns.IptablesSave, new FakeTimeProvider());
        var map = source.Read(Deadline());

        Assert.Equal(ZoneBackend.Ovs, source.Backend);
        Assert.Equal(3, map.Count);
    }

    [SkippableFact]
    public void Auto_prefers_iptables_on_an_iptables_hybrid_node_whose_ovs_ports_also_have_tags()
    {
        Tools.SkipUnlessRoot();
        using var node = new OvsdbServer();
        node.AddAgentPort(PortA, 1, NetworkA, 1001, device: "qvo"); // hybrid plugging: the qvo end of the veth is on br-int
        using var ns = new RawTableNamespace();
        ns.Restore(new NeutronRawRules().HybridPort(PortA, 4097).ToRestoreInput());
        using var source = ZoneMapSources.Auto(node.Db, ns.IptablesSave, new FakeTimeProvider());
        var map = source.Read(Deadline());

        Assert.Equal(ZoneBackend.Iptables, source.Backend);
        Assert.True(map.TryGetZone(PortA, out var zone));
        Assert.Equal(4097, zone);
    }
}
