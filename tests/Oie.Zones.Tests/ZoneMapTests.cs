namespace Oie.Zones.Tests;

public sealed class ZoneMapTests
{
    private const string PortA = "aaaaaaaa-1111-4111-8111-111111111111";
    private const string PortB = "bbbbbbbb-2222-4222-8222-222222222222";

    [Fact]
    public void Empty_has_no_backend_no_ports_and_no_known_zone()
    {
        Assert.Equal(ZoneBackend.None, ZoneMap.Empty.Backend);
        Assert.Equal(0, ZoneMap.Empty.Count);
        Assert.Empty(ZoneMap.Empty.Ports);
        Assert.Empty(ZoneMap.Empty.KnownZones);
        Assert.False(ZoneMap.Empty.TryGetZone(PortA, out _));
        Assert.False(ZoneMap.Empty.IsKnownZone(1));
    }

    [Fact]
    public void Ports_are_found_in_any_case_and_other_zones_are_known_but_not_ports()
    {
        var map = ZoneMap.Create(ZoneBackend.Ovn, [new(PortA, 3), new(PortB.ToUpperInvariant(), 7)], [9, 10]);

        Assert.Equal(ZoneBackend.Ovn, map.Backend);
        Assert.Equal(2, map.Count);
        Assert.True(map.TryGetZone(PortA.ToUpperInvariant(), out var a));
        Assert.Equal(3, a);
        Assert.True(map.TryGetZone(PortB, out var b));
        Assert.Equal(7, b);
        Assert.False(map.TryGetZone(PortA[..11], out _)); // OVN keys are whole port ids
        Assert.Equal([new(PortA, 3), new(PortB, 7)], map.Ports);
        Assert.Equal([3, 7, 9, 10], map.KnownZones);
        foreach (ushort zone in new ushort[] { 3, 7, 9, 10 })
            Assert.True(map.IsKnownZone(zone));
        foreach (ushort zone in new ushort[] { 0, 1, 8, 11, 65535 })
            Assert.False(map.IsKnownZone(zone));
    }

    [Fact]
    public void Iptables_maps_are_keyed_by_the_device_prefix_and_found_by_the_whole_port_id()
    {
        var map = ZoneMap.Create(ZoneBackend.Iptables, [new(PortA[..11], 4097), new(PortB, 4098)], []);

        Assert.Equal([new(PortA[..11], 4097), new(PortB[..11], 4098)], map.Ports);
        Assert.True(map.TryGetZone(PortA, out var a));
        Assert.Equal(4097, a);
        Assert.True(map.TryGetZone(PortA[..11].ToUpperInvariant(), out _));
        Assert.True(map.TryGetZone(PortB.ToUpperInvariant(), out var b));
        Assert.Equal(4098, b);
        Assert.False(map.TryGetZone(PortA[..10], out _));
    }

    [Fact]
    public void Zone_zero_is_neither_a_port_zone_nor_known_and_a_later_entry_wins()
    {
        var map = ZoneMap.Create(ZoneBackend.Ovs, [new(PortA, 0), new(PortB, 1), new(PortB, 2), new("", 5)], [0]);

        Assert.False(map.TryGetZone(PortA, out _));
        Assert.True(map.TryGetZone(PortB, out var b));
        Assert.Equal(2, b);
        Assert.Equal(1, map.Count);
        Assert.False(map.IsKnownZone(0));
        Assert.Equal([1, 2], map.KnownZones); // the replaced entry's zone was still assigned by the backend
    }
}
