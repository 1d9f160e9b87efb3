using System.Runtime.CompilerServices;
using Oie.Abstractions;
using Oie.Net;

namespace Oie.Conntrack;

/// <summary>
/// Every instance's fixed IPs by binary key, built once per cycle. Slots are dense (0..Count-1, in instance then
/// metadata order); lookup is a linear probe in a power-of-two table at most a quarter full (a miss, the common case,
/// usually ends at the first empty cell), no allocation.
/// </summary>
public sealed class FixedIpIndex
{
    private readonly FixedIpEntry[] _entries; // slots [0, Count) are used
    private readonly IpKey[] _keys;
    private readonly int[] _table; // slot + 1; 0 = empty
    private readonly int _mask;

    private FixedIpIndex(int capacity)
    {
        int size = 4;
        while (size < capacity * 4)
        {
            size <<= 1;
        }

        _entries = new FixedIpEntry[capacity];
        _keys = new IpKey[capacity];
        _table = new int[size];
        _mask = size - 1;
    }

    /// <summary>Fixed IPs whose address does not parse are skipped and counted in <see cref="InvalidAddresses"/>; an
    /// address on two instances (or twice on one) goes to the first and is counted in <see cref="DuplicateAddresses"/>.
    /// The address decides the family; <see cref="FixedIp.Version"/> is not consulted.</summary>
    public static FixedIpIndex Build(IReadOnlyList<Instance> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        int capacity = 0;
        foreach (Instance instance in instances)
        {
            capacity += instance.Facts.FixedIps.IsDefault ? 0 : instance.Facts.FixedIps.Length;
        }

        var index = new FixedIpIndex(capacity);
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

        return index;
    }

    public int Count { get; private set; }

    public int InvalidAddresses { get; private set; }

    public int DuplicateAddresses { get; private set; }

    public FixedIpEntry this[int slot] => (uint)slot < (uint)Count ? _entries[slot] : throw new ArgumentOutOfRangeException(nameof(slot));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryFind(in IpKey key, out int slot)
    {
        int[] table = _table;
        IpKey[] keys = _keys;
        int i = Home(key);
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

            i = (i + 1) & _mask;
        }
    }

    private void Add(Instance instance, FixedIp fixedIp)
    {
        if (!IpKey.TryParse(fixedIp.Address, out IpKey key))
        {
            InvalidAddresses++;
            return;
        }

        int i = Home(key);
        while (_table[i] != 0)
        {
            if (_keys[_table[i] - 1].Equals(key))
            {
                DuplicateAddresses++;
                return;
            }

            i = (i + 1) & _mask;
        }

        _entries[Count] = new FixedIpEntry(instance, fixedIp, key);
        _keys[Count] = key;
        _table[i] = ++Count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(in IpKey key) => key.GetHashCode() & _mask;
}
