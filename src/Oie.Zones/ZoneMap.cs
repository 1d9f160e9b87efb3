using System.Collections.Frozen;

namespace Oie.Zones;

/// <summary>
/// Immutable: which conntrack zone each Neutron port's traffic was tracked in at one moment, and every zone the backend
/// assigns to anything it manages. Zone 0 is the kernel's default zone, shared by everything untracked by zones, so it
/// is never a port's zone nor a known zone here.
/// </summary>
public sealed class ZoneMap
{
    private readonly FrozenDictionary<string, ushort> _ports;
    private readonly FrozenDictionary<string, ushort>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly ulong[] _known = new ulong[(ushort.MaxValue + 1) / 64];

    private ZoneMap(ZoneBackend backend, Dictionary<string, ushort> ports, IEnumerable<ushort> knownZones)
    {
        Backend = backend;
        _ports = ports.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _lookup = _ports.GetAlternateLookup<ReadOnlySpan<char>>();
        Ports = [.. ports.OrderBy(p => p.Key, StringComparer.Ordinal)];
        KnownZones = [.. knownZones.Where(z => z != 0).Distinct().Order()];
        foreach (var zone in KnownZones)
            _known[zone >> 6] |= 1UL << (zone & 63);
    }

    /// <summary>No backend, no entries: every conntrack entry is attributed by address.</summary>
    public static ZoneMap Empty { get; } = Create(ZoneBackend.None, [], []);

    public ZoneBackend Backend { get; }

    /// <summary>The number of port entries.</summary>
    public int Count => _ports.Count;

    /// <summary>The port entries (port id, or the 11-character device prefix for <see cref="ZoneBackend.Iptables"/>),
    /// lower-case, in ordinal order; for logs and tests.</summary>
    public IReadOnlyCollection<KeyValuePair<string, ushort>> Ports { get; }

    /// <summary>Every zone <see cref="IsKnownZone"/> is true for, ascending.</summary>
    public IReadOnlyList<ushort> KnownZones { get; }

    /// <summary>
    /// Builds a map. Port keys are matched in any case; for <see cref="ZoneBackend.Iptables"/> only their first 11
    /// characters are kept (the device prefix Neutron names devices with). A later entry for the same key replaces an
    /// earlier one (whose zone stays known: the backend did assign it); entries in zone 0 and empty keys are left out. <paramref name="otherZones"/> are the zones of
    /// things that are not ports (OVN routers' SNAT/DNAT zones, a Linux bridge network's zone).
    /// </summary>
    public static ZoneMap Create(ZoneBackend backend, IEnumerable<KeyValuePair<string, ushort>> ports, IEnumerable<ushort> otherZones)
    {
        ArgumentNullException.ThrowIfNull(ports);
        ArgumentNullException.ThrowIfNull(otherZones);
        var entries = new Dictionary<string, ushort>(StringComparer.Ordinal);
        var known = new List<ushort>(otherZones);
        foreach (var (key, zone) in ports)
        {
            if (string.IsNullOrEmpty(key) || zone == 0)
                continue;
            entries[Normalize(backend, key)] = zone;
            known.Add(zone);
        }
        return new ZoneMap(backend, entries, known);
    }

    /// <summary>
    /// The zone of the port with this id (as in the domain XML's <c>nova:port uuid</c>, any case). For
    /// <see cref="ZoneBackend.Iptables"/> the map is keyed by the device prefix, so only the id's first 11 characters
    /// are compared.
    /// </summary>
    public bool TryGetZone(string portId, out ushort zone)
    {
        ArgumentNullException.ThrowIfNull(portId);
        ReadOnlySpan<char> key = portId;
        if (Backend == ZoneBackend.Iptables && key.Length > PortIds.DevicePrefixLength)
            key = key[..PortIds.DevicePrefixLength];
        return _lookup.TryGetValue(key, out zone);
    }

    /// <summary>
    /// True for every zone the backend assigns to anything it manages (VM ports and OVN router/NAT zones): an entry in
    /// such a zone belongs to that thing; only entries in zone 0 or in zones not here fall back to addresses.
    /// </summary>
    public bool IsKnownZone(ushort zone) => zone != 0 && (_known[zone >> 6] & (1UL << (zone & 63))) != 0;

    public override string ToString() => $"{Backend}: {Count} ports, {KnownZones.Count} known zones";

    private static string Normalize(ZoneBackend backend, string key)
    {
        if (backend == ZoneBackend.Iptables && key.Length > PortIds.DevicePrefixLength)
            key = key[..PortIds.DevicePrefixLength];
        return key.ToLowerInvariant();
    }
}
