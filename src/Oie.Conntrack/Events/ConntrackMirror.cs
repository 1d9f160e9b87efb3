using Oie.Conntrack.Netlink;
using Oie.Net;

namespace Oie.Conntrack.Events;

/// <summary>
/// The kernel table as the events source keeps it between cycles: one compact entry per live conntrack entry, with
/// what attribution needs and nothing else. An entry is identified by its CTA_ID together with a hash of its original
/// tuple (ports and ICMP id included) and zone: the kernel's id is a 32-bit hash, which alone would collide about a
/// hundred times in a million entries, and a tuple alone would take a flow that ended and began again with the same
/// ports (a new id) for the old one. Adding an entry twice (the dump and a NEW event both saw it) keeps one; removing
/// one that is not there (it ended before the dump reached it) changes nothing.
/// </summary>
internal sealed class ConntrackMirror
{
    private readonly MirrorTable<MirrorEntryV4> _v4 = new();
    private readonly MirrorTable<MirrorEntryV6> _v6 = new();
    private byte _generation;

    /// <summary>Live entries.</summary>
    public int Count => _v4.Count + _v6.Count;

    public int CountV4 => _v4.Count;

    public int CountV6 => _v6.Count;

    /// <summary>Bytes the mirror's arrays hold.</summary>
    public long AllocatedBytes => _v4.AllocatedBytes + _v6.AllocatedBytes;

    /// <summary>Starts a new cycle: entries added from now on began in it.</summary>
    public void NextGeneration() => _generation++;

    public void Clear()
    {
        _v4.Clear();
        _v6.Clear();
    }

    /// <summary>Adds the entry of a dump message or NEW event; false when the message is malformed.</summary>
    /// <param name="added">False when the entry was there already.</param>
    public bool TryAdd(ReadOnlySpan<byte> payload, out bool added)
    {
        added = false;
        if (!TryIdentify(payload, out ConntrackFlow flow, out ulong key))
        {
            return false;
        }

        added = flow.Source.IsV4
            ? _v4.Add(new MirrorEntryV4(key, flow.Source.V4Value, flow.Destination.V4Value, flow.Protocol, flow.Zone, _generation))
            : _v6.Add(new MirrorEntryV6(key, flow.Source.Value, flow.Destination.Value, flow.Protocol, flow.Zone, _generation));
        return true;
    }

    /// <summary>Removes the entry a DESTROY event names; false when the message is malformed.</summary>
    /// <param name="removed">False when the mirror did not hold it.</param>
    /// <param name="endedFlow">The entry's flow when it was added in this generation: it began and ended within
    /// the cycle, so no replay ever saw it.</param>
    public bool TryRemove(ReadOnlySpan<byte> payload, out bool removed, out ConntrackFlow? endedFlow)
    {
        removed = false;
        endedFlow = null;
        if (!TryIdentify(payload, out ConntrackFlow flow, out ulong key))
        {
            return false;
        }

        byte added;
        if (flow.Source.IsV4)
        {
            removed = _v4.Remove(key, out MirrorEntryV4 entry);
            added = entry.Added;
        }
        else
        {
            removed = _v6.Remove(key, out MirrorEntryV6 entry);
            added = entry.Added;
        }

        if (removed && added == _generation)
        {
            endedFlow = flow;
        }

        return true;
    }

    /// <summary>Hands every live entry to <paramref name="sink"/>, IPv4 then IPv6.</summary>
    public void Replay<TSink>(TSink sink)
        where TSink : IFlowSink
    {
        foreach (ref readonly MirrorEntryV4 entry in _v4.Entries)
        {
            sink.OnFlow(entry.Flow);
        }

        foreach (ref readonly MirrorEntryV6 entry in _v6.Entries)
        {
            sink.OnFlow(entry.Flow);
        }
    }

    /// <summary>The flow and the identity (<c>CTA_ID &lt;&lt; 32 | hash of the original tuple and zone</c>).</summary>
    internal static bool TryIdentify(ReadOnlySpan<byte> payload, out ConntrackFlow flow, out ulong key)
    {
        key = 0;
        if (!ConntrackEntryParser.TryParse(payload, out flow, out ConntrackEntryDetails details, out ReadOnlySpan<byte> tuple))
        {
            return false;
        }

        var hash = default(HashCode);
        hash.AddBytes(tuple);
        hash.Add(flow.Zone);
        key = ((ulong)details.Id << 32) | (uint)hash.ToHashCode();
        return true;
    }
}
