using Oie.Zones.Ovsdb;
using Oie.Zones.Tests.Infra;

namespace Oie.Zones.Tests;

/// <summary>
/// ML2/OVN against a real chassis (ovsdb-server, ovs-vswitchd, NB/SB, ovn-northd, ovn-controller): the zones read over
/// JSON-RPC are exactly what <c>ovs-vsctl get bridge br-int external_ids</c> says, and follow ovn-controller's changes.
/// </summary>
[Collection(OvnChassisCollection.Name)]
public sealed class OvnChassisTests(OvnChassis chassis)
{
    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    [SkippableFact]
    public void Both_tenants_ports_have_the_zones_ovs_vsctl_shows()
    {
        Skip.If(chassis.SkipReason is not null, chassis.SkipReason);
        using var source = ZoneMapSources.Ovn(chassis.Db);
        var map = source.Read(Deadline());
        var expected = chassis.CtZones();

        Assert.Equal(ZoneBackend.Ovn, source.Backend);
        Assert.Equal(ZoneBackend.Ovn, map.Backend);
        Assert.True(map.TryGetZone(chassis.PortA, out var a));
        Assert.True(map.TryGetZone(chassis.PortB.ToUpperInvariant(), out var b));
        Assert.Equal(expected[chassis.PortA], a);
        Assert.Equal(expected[chassis.PortB], b);
        Assert.NotEqual(a, b); // the same fixed IP, told apart by the zone
        Assert.True(map.IsKnownZone(a) && map.IsKnownZone(b));
        Assert.Contains("over " + chassis.Db, source.Description, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Router_and_nat_zones_are_known_zones_but_not_ports()
    {
        Skip.If(chassis.SkipReason is not null, chassis.SkipReason);
        using var source = ZoneMapSources.Ovn(chassis.Db);
        var map = source.Read(Deadline());
        var keys = chassis.CtZones();

        var notPorts = keys.Where(k => !Guid.TryParseExact(k.Key, "D", out _)).ToList();
        Assert.Contains(notPorts, k => k.Key.EndsWith("_dnat", StringComparison.Ordinal));
        Assert.Contains(notPorts, k => k.Key.EndsWith("_snat", StringComparison.Ordinal));
        Assert.Contains(notPorts, k => k.Key == "lrp-" + chassis.RouterPort);
        foreach (var (key, zone) in notPorts)
        {
            Assert.True(map.IsKnownZone(zone), $"ct-zone-{key}={zone} is not a known zone");
            Assert.DoesNotContain(map.Ports, p => p.Key == key || p.Value == zone);
        }
        var ports = keys.Where(k => Guid.TryParseExact(k.Key, "D", out _)).OrderBy(k => k.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(ports, map.Ports);
        Assert.Equal(keys.Values.Distinct().Order(), map.KnownZones);
    }

    [SkippableFact]
    public void An_added_port_appears_and_a_deleted_one_disappears()
    {
        Skip.If(chassis.SkipReason is not null, chassis.SkipReason);
        using var source = ZoneMapSources.Ovn(chassis.Db);
        var before = source.Read(Deadline());
        var portC = Guid.NewGuid().ToString();

        chassis.AddVmPort(portC, "fa:16:3e:00:00:0c", "10.0.0.6");
        try
        {
            var added = Poll.Until(() => source.Read(Deadline()) is var m && m.TryGetZone(portC, out _) ? m : null,
                "ovn-controller writing the new port's zone");
            Assert.True(added.TryGetZone(portC, out var zone));
            Assert.Equal(chassis.CtZones()[portC], zone);
            Assert.Equal(before.Count + 1, added.Count);
            Assert.DoesNotContain(before.KnownZones, z => z == zone);
        }
        finally
        {
            chassis.DeleteVmPort(portC);
        }
        var deleted = Poll.Until(() => source.Read(Deadline()) is var m && !m.TryGetZone(portC, out _) ? m : null,
            "ovn-controller removing the deleted port's zone");
        Assert.DoesNotContain("ct-zone-" + portC, chassis.BridgeExternalIds().Keys);
        Assert.Equal(before.Ports, deleted.Ports);
    }

    [SkippableFact]
    public void Reads_share_one_connection()
    {
        Skip.If(chassis.SkipReason is not null, chassis.SkipReason);
        using var source = ZoneMapSources.Ovn(chassis.Db);
        for (var i = 0; i < 5; i++)
            Assert.True(source.Read(Deadline()).TryGetZone(chassis.PortA, out _));
        Assert.Equal(1, ((OvnZoneMapSource)source).Client.Connections);
    }

    [SkippableFact]
    public void The_ovs_source_finds_no_tagged_ports_on_an_ovn_chassis()
    {
        Skip.If(chassis.SkipReason is not null, chassis.SkipReason);
        using var source = ZoneMapSources.Ovs(chassis.Db);
        var map = source.Read(Deadline());
        Assert.Equal(ZoneBackend.Ovs, map.Backend);
        Assert.Equal(0, map.Count);
    }

    [SkippableFact]
    public void Auto_settles_on_ovn()
    {
        Skip.If(chassis.SkipReason is not null, chassis.SkipReason);
        using var source = ZoneMapSources.Auto(chassis.Db, ["/nonexistent/iptables-save"], new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
        var map = source.Read(Deadline());

        Assert.Equal(ZoneBackend.Ovn, source.Backend);
        Assert.Equal(ZoneBackend.Ovn, map.Backend);
        Assert.Equal(chassis.CtZones()[chassis.PortA], map.TryGetZone(chassis.PortA, out var zone) ? zone : -1);
        Assert.StartsWith("auto: OVN", source.Description, StringComparison.Ordinal);
        Assert.Equal(1, source.Probes);
        Assert.True(source.Read(Deadline()).TryGetZone(chassis.PortB, out _));
        Assert.Equal(1, source.Probes);
    }
}
