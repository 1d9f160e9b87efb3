using System.Runtime.CompilerServices;
using Oie.Abstractions;
using Oie.Net;

namespace Oie.Conntrack;

/// <summary>
/// Every instance's fixed IPs by binary key, and by (conntrack zone, key) where the node's Neutron backend names the
/// port's zone; built once per cycle. One slot per (instance, address), dense (0..Count-1, in instance then metadata
/// order). An address that several instances claim (tenants reuse subnets) has one slot per claimant, chained in
/// instance order. Lookups are linear probes in power-of-two tables at most a quarter full (a miss, the common case,
/// usually ends at the first empty cell), no allocation.
/// </summary>
public sealed class FixedIpIndex
{
    /// <summary><see cref="FindInZone"/>: the zone holds none of this address's claimants.</summary>
    public const int NotInZone = -1;

    /// <summary><see cref="FindInZone"/>: two claimants of the address share the zone, which cannot tell them apart.</summary>
    public const int SharedZone = -2;

    private readonly List<FixedIpSlot> _slots = [];
    private readonly IpKey[] _keys;
    private readonly int[] _nextClaimant; // next slot with the same address, -1 at the end of the chain
    private readonly int[] _addressTable; // head slot + 1; 0 = empty
    private readonly int _addressMask;

    private readonly IpKey[] _zoneKeys;
    private readonly ushort[] _zones;
    private readonly int[] _zoneSlots; // slot, or SharedZone
    private readonly int[] _zoneTable; // zone entry + 1; 0 = empty
    private readonly int _zoneMask;
    private int _zoneEntries;

    private readonly IPortZones? _portZones;

    private FixedIpIndex(int capacity, IPortZones? portZones)
    {
        _portZones = portZones;
        _keys = new IpKey[capacity];
        _nextClaimant = new int[capacity];
        _addressTable = new int[TableSize(capacity)];
        _addressMask = _addressTable.Length - 1;
        int zoned = portZones is null ? 0 : capacity;
        _zoneKeys = new IpKey[zoned];
        _zones = new ushort[zoned];
        _zoneSlots = new int[zoned];
        _zoneTable = new int[TableSize(zoned)];
        _zoneMask = _zoneTable.Length - 1;
    }

    /// <summary>Fixed IPs whose address does not parse are skipped and counted in <see cref="InvalidAddresses"/>; an
    /// address listed twice on one instance is one slot, counted in <see cref="DuplicateAddresses"/>. The address
    /// decides the family; <see cref="FixedIp.Version"/> is not consulted.</summary>
    /// <param name="portZones">The node's port zones; null when zones are not used (every entry is attributed by
    /// its addresses alone).</param>
    public static FixedIpIndex Build(IReadOnlyList<Instance> instances, IPortZones? portZones = null)
    {
        ArgumentNullException.ThrowIfNull(instances);
        int capacity = 0;
        foreach (Instance instance in instances)
        {
            capacity += instance.Facts.FixedIps.IsDefault ? 0 : instance.Facts.FixedIps.Length;
        }

        var index = new FixedIpIndex(capacity, portZones);
        foreach (Instance instance in instances)
        {
            var fixedIps = instance.Facts.FixedIps;
            if (fixedIps.IsDefault)
            {
                continue;
            }

            foreach (FixedIp fixedIp in fixedIps)
            {
                index.Add(instance, fixedIp);
            }
        }

        index.Ambiguous = index.FindUnresolvedAddresses();
        return index;
    }

    public int Count => _slots.Count;

    public int InvalidAddresses { get; private set; }

    public int DuplicateAddresses { get; private set; }

    /// <summary>True when the index was built with the node's zones.</summary>
    public bool UsesZones => _portZones is not null;

    /// <summary>Addresses claimed by several instances whose claimants' zones do not tell them apart (a claimant
    /// without a known zone, or two in one zone), by head slot: any entry of theirs is counted for every claimant.</summary>
    public IReadOnlyList<int> Ambiguous { get; private set; } = [];

    public IReadOnlyList<FixedIpSlot> Slots => _slots;

    public FixedIpSlot this[int slot] => _slots[slot];

    /// <summary>The first claimant of <paramref name="key"/>; the others follow through <see cref="NextClaimant"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryFind(in IpKey key, out int slot)
    {
        int[] table = _addressTable;
        IpKey[] keys = _keys;
        int i = key.GetHashCode() & _addressMask;
        while (true)
        {
            int candidate = table[i];
            if (candidate == 0)
            {
                slot = -1;
                return false;
            }

            if (keys[candidate - 1].Equals(key))
            {
                slot = candidate - 1;
                return true;
            }

            i = (i + 1) & _addressMask;
        }
    }

    /// <summary>The next instance claiming the same address, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int NextClaimant(int slot) => _nextClaimant[slot];

    /// <summary>True when the backend assigned <paramref name="zone"/> (never for zone 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsKnownZone(ushort zone) => zone != 0 && _portZones is not null && _portZones.IsKnownZone(zone);

    /// <summary>The slot of <paramref name="key"/> in <paramref name="zone"/>, <see cref="NotInZone"/> or
    /// <see cref="SharedZone"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int FindInZone(ushort zone, in IpKey key)
    {
        if (_zoneEntries == 0)
        {
            return NotInZone;
        }

        int i = ZoneHome(zone, key);
        while (true)
        {
            int candidate = _zoneTable[i];
            if (candidate == 0)
            {
                return NotInZone;
            }

            if (_zones[candidate - 1] == zone && _zoneKeys[candidate - 1].Equals(key))
            {
                return _zoneSlots[candidate - 1];
            }

            i = (i + 1) & _zoneMask;
        }
    }

    private void Add(Instance instance, FixedIp fixedIp)
    {
        if (!IpKey.TryParse(fixedIp.Address, out IpKey key))
        {
            InvalidAddresses++;
            return;
        }

        ushort zone = 0;
        bool zoned = _portZones is not null && fixedIp.PortId.Length > 0 && _portZones.TryGetZone(fixedIp.PortId, out zone) && zone != 0;
        int slot = FindOrAddSlot(instance, fixedIp, key, zoned ? zone : (ushort)0);
        if (zoned)
        {
            AddZone(zone, key, slot);
        }
    }

    private int FindOrAddSlot(Instance instance, FixedIp fixedIp, IpKey key, ushort zone)
    {
        int i = key.GetHashCode() & _addressMask;
        while (_addressTable[i] != 0)
        {
            int head = _addressTable[i] - 1;
            if (_keys[head].Equals(key))
            {
                int last = head;
                for (int s = head; s >= 0; s = _nextClaimant[s])
                {
                    if (ReferenceEquals(_slots[s].Instance, instance))
                    {
                        DuplicateAddresses++;
                        return s;
                    }

                    last = s;
                }

                int added = Append(instance, fixedIp, key, zone);
                _nextClaimant[last] = added;
                return added;
            }

            i = (i + 1) & _addressMask;
        }

        int slot = Append(instance, fixedIp, key, zone);
        _addressTable[i] = slot + 1;
        return slot;
    }

    private int Append(Instance instance, FixedIp fixedIp, IpKey key, ushort zone)
    {
        int slot = _slots.Count;
        _slots.Add(new FixedIpSlot(instance, fixedIp, key, zone));
        _keys[slot] = key;
        _nextClaimant[slot] = -1;
        return slot;
    }

    private void AddZone(ushort zone, IpKey key, int slot)
    {
        int i = ZoneHome(zone, key);
        while (_zoneTable[i] != 0)
        {
            int entry = _zoneTable[i] - 1;
            if (_zones[entry] == zone && _zoneKeys[entry].Equals(key))
            {
                if (_zoneSlots[entry] != slot)
                {
                    _zoneSlots[entry] = SharedZone;
                }

                return;
            }

            i = (i + 1) & _zoneMask;
        }

        _zoneKeys[_zoneEntries] = key;
        _zones[_zoneEntries] = zone;
        _zoneSlots[_zoneEntries] = slot;
        _zoneTable[i] = ++_zoneEntries;
    }

    /// <summary>Heads of the addresses with several claimants of which one has no zone, or shares it with another.</summary>
    private List<int> FindUnresolvedAddresses()
    {
        var unresolved = new List<int>();
        foreach (int head in _addressTable)
        {
            if (head == 0 || _nextClaimant[head - 1] < 0)
            {
                continue;
            }

            for (int s = head - 1; s >= 0; s = _nextClaimant[s])
            {
                FixedIpSlot slot = _slots[s];
                if (slot.Zone == 0 || FindInZone(slot.Zone, slot.Address) != s)
                {
                    unresolved.Add(head - 1);
                    break;
                }
            }
        }

        unresolved.Sort();
        return unresolved;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ZoneHome(ushort zone, in IpKey key) => (key.GetHashCode() ^ (zone * -1640531535)) & _zoneMask;

    private static int TableSize(int capacity)
    {
        int size = 4;
        while (size < capacity * 4)
        {
            size <<= 1;
        }

        return size;
    }
}
