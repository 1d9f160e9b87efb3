using Oie.Abstractions;
using Oie.Net;

namespace Oie.Testing;

/// <summary>Hand-made <see cref="ConntrackTable"/>s: slots with their counts, and attributed contacts.</summary>
public sealed class ConntrackTableBuilder
{
    private readonly List<FixedIpSlot> _slots = [];
    private readonly List<int> _counts = [];
    private readonly List<ContactV4> _v4 = [];
    private readonly List<ContactV6> _v6 = [];
    private readonly List<string> _errors = [];
    private ConntrackFamilies _read = ConntrackFamilies.Both;
    private long _entries;
    private long _malformed;
    private long? _max;

    /// <summary>A fixed IP of <paramref name="instance"/> with <paramref name="count"/> entries.</summary>
    public ConntrackTableBuilder Slot(Instance instance, string address, int count = 0, ushort zone = 0)
    {
        var key = IpKey.Parse(address);
        _slots.Add(new FixedIpSlot(instance, new FixedIp(address, key.IsV4 ? 4 : 6), key, zone));
        _counts.Add(count);
        return this;
    }

    /// <summary>An entry of slot <paramref name="slot"/> whose other end is <paramref name="remote"/>.</summary>
    public ConntrackTableBuilder Contact(int slot, string remote, bool outbound = true)
    {
        var key = IpKey.Parse(remote);
        if (key.IsV4)
            _v4.Add(new ContactV4((uint)key.Value, slot, outbound));
        else
            _v6.Add(new ContactV6((ulong)(key.Value >> 64), (ulong)key.Value, slot, outbound));
        return this;
    }

    public ConntrackTableBuilder Totals(long entries, long malformed = 0, long? max = null)
    {
        _entries = entries;
        _malformed = malformed;
        _max = max;
        return this;
    }

    /// <summary>Only <paramref name="families"/> were read; the others failed with <paramref name="errors"/>.</summary>
    public ConntrackTableBuilder Read(ConntrackFamilies families, params string[] errors)
    {
        _read = families;
        _errors.AddRange(errors);
        return this;
    }

    public ConntrackTable Build() => new()
    {
        Read = _read,
        Errors = [.. _errors],
        Entries = _entries,
        Malformed = _malformed,
        Max = _max,
        Slots = [.. _slots],
        Counts = [.. _counts],
        ContactsV4 = _v4.ToArray(),
        ContactsV6 = _v6.ToArray(),
    };

    /// <summary>A cycle in which libvirt listed the slots' instances and the host read this table.</summary>
    public CycleSnapshot Snapshot(long timestamp = 0) => new()
    {
        Timestamp = timestamp,
        LibvirtAvailable = true,
        Instances = [.. _slots.Select(s => s.Instance).Distinct()],
        Conntrack = Build(),
    };
}
