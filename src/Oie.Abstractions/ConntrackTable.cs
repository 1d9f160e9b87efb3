using Oie.Net;

namespace Oie.Abstractions;

/// <summary>The address families of a conntrack read.</summary>
[Flags]
public enum ConntrackFamilies : byte
{
    None = 0,
    V4 = 1,
    V6 = 2,
    Both = V4 | V6,
}

/// <summary>
/// One cycle's conntrack table as the host read and attributed it, before any collector runs: per fixed-IP slot the
/// number of entries attributed to it and, when a threat feed is enabled, every attributed entry's remote endpoint.
/// The table itself is not kept: at a million entries it would cost tens of MiB a cycle, and nothing after
/// attribution needs the entries that touch no instance. Immutable once built; the contacts are read during the cycle
/// that read them (the reader's next read reuses their buffers), so copy them to keep them longer.
/// </summary>
public sealed class ConntrackTable
{
    /// <summary>The families whose listing was read whole. A slot of another family has no count this cycle
    /// (its listing failed: see <see cref="Errors"/>); <see cref="Entries"/> covers these families only.</summary>
    public required ConntrackFamilies Read { get; init; }

    /// <summary>Why a listing failed this cycle, one message per failed listing; empty when all were read.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>Well-formed entries read, over <see cref="Read"/>'s families.</summary>
    public long Entries { get; init; }

    /// <summary>Lines (or netlink entries) skipped as malformed, over <see cref="Read"/>'s families.</summary>
    public long Malformed { get; init; }

    /// <summary>net.netfilter.nf_conntrack_max, when readable.</summary>
    public long? Max { get; init; }

    /// <summary>Every fixed IP the cycle's instances claim, one slot per (instance, address).</summary>
    public required IReadOnlyList<FixedIpSlot> Slots { get; init; }

    /// <summary>Entries attributed to each slot (aligned with <see cref="Slots"/>).</summary>
    public required int[] Counts { get; init; }

    /// <summary>Attributed entries' IPv4 remote endpoints, one per (entry, slot) attribution; empty unless
    /// contacts were asked for.</summary>
    public ReadOnlyMemory<ContactV4> ContactsV4 { get; init; }

    /// <summary>The same for IPv6.</summary>
    public ReadOnlyMemory<ContactV6> ContactsV6 { get; init; }

    /// <summary>Fixed IPs claimed by more than one instance that no conntrack zone told apart this cycle: their
    /// entries were counted for every claimant.</summary>
    public IReadOnlyList<AmbiguousFixedIp> Ambiguous { get; init; } = [];

    /// <summary>Each time during this read that the source rebuilt the table it keeps between cycles from a full dump
    /// (<c>-conntrack.source=events</c>: events were lost, a read failed, or the periodic resync came due), by reason.
    /// The counts are the rebuilt table's; a rebuild that could not finish failed the read instead.</summary>
    public IReadOnlyList<string> Resyncs { get; init; } = [];

    public bool HasRead(IpFamily family) =>
        (Read & (family == IpFamily.V4 ? ConntrackFamilies.V4 : ConntrackFamilies.V6)) != 0;

    /// <summary>True when nothing could be read: every consumer of the table fails this cycle.</summary>
    public bool IsFailed => Read == ConntrackFamilies.None;
}

/// <summary>One fixed IP of one instance.</summary>
/// <param name="Address">The parsed address (format it for the canonical text).</param>
/// <param name="Zone">The conntrack zone of its port on this node, 0 when the node's Neutron backend names none.</param>
public readonly record struct FixedIpSlot(Instance Instance, FixedIp FixedIp, IpKey Address, ushort Zone);

/// <summary>An attributed entry's IPv4 remote endpoint, packed in 8 bytes (a million-entry table has ≈ 300,000).</summary>
public readonly record struct ContactV4
{
    private readonly int _slotAndDirection;

    /// <param name="remote">The entry's other original endpoint.</param>
    /// <param name="slot">Index into <see cref="ConntrackTable.Slots"/>.</param>
    /// <param name="outbound">The slot's address is the entry's original source: the instance opened the flow.</param>
    public ContactV4(uint remote, int slot, bool outbound)
    {
        Remote = remote;
        _slotAndDirection = Pack(slot, outbound);
    }

    public uint Remote { get; }

    public int Slot => _slotAndDirection & int.MaxValue;

    public bool Outbound => _slotAndDirection < 0;

    internal static int Pack(int slot, bool outbound)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        return outbound ? slot | int.MinValue : slot;
    }
}

/// <summary>An attributed entry's IPv6 remote endpoint, packed in 20 bytes.</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 4)]
public readonly record struct ContactV6
{
    private readonly ulong _high;
    private readonly ulong _low;
    private readonly int _slotAndDirection;

    /// <param name="remoteHigh">The remote's upper 64 bits.</param>
    /// <param name="remoteLow">The remote's lower 64 bits.</param>
    public ContactV6(ulong remoteHigh, ulong remoteLow, int slot, bool outbound)
    {
        _high = remoteHigh;
        _low = remoteLow;
        _slotAndDirection = ContactV4.Pack(slot, outbound);
    }

    public UInt128 Remote => new(_high, _low);

    public int Slot => _slotAndDirection & int.MaxValue;

    public bool Outbound => _slotAndDirection < 0;
}

/// <summary>An address that several instances claim, with the slots of its claimants.</summary>
public sealed record AmbiguousFixedIp(IpKey Address, IReadOnlyList<int> Slots);
