using System.Runtime.CompilerServices;
using Oie.Abstractions;
using Oie.Net;

namespace Oie.Conntrack;

/// <summary>
/// The one pass over a cycle's entries. An entry counts for a fixed IP that is its original source (outbound) or
/// original destination (inbound); an entry between two fixed IPs counts for both. Zones decide between instances
/// that claim the same address: an entry in a zone the node's backend assigned counts only for the claimant whose
/// port has that zone (none when the zone is another port's or a router's); an entry in zone 0 or in a zone the
/// backend does not know falls back to the address and counts for every claimant, and the address is reported as
/// ambiguous. O(1) per entry, nothing allocated per entry (the contact buffers grow by doubling).
/// </summary>
public sealed class FlowAttribution : IFlowSink
{
    private readonly FixedIpIndex _index;
    private readonly int[] _counts;
    private readonly bool[] _ambiguous; // by head slot: counted for several claimants this cycle
    private readonly ContactBuffers? _contacts;
    private int _v4Count;
    private int _v6Count;
    private long _flows;
    private int _weight = 1; // what an attribution adds to its slot's count: 0 for a flow that already ended

    /// <param name="recordContacts">Keep every attributed entry's remote endpoint (for the threat feeds).</param>
    /// <param name="buffers">Where to keep them: the previous read's buffers, overwritten from the start (a fresh
    /// pair when null).</param>
    public FlowAttribution(FixedIpIndex index, bool recordContacts = false, ContactBuffers? buffers = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        _index = index;
        _counts = new int[index.Count];
        _ambiguous = new bool[index.Count];
        _contacts = recordContacts ? buffers ?? new ContactBuffers() : null;
    }

    public FixedIpIndex Index => _index;

    /// <summary>Entries attributed to each slot of the index.</summary>
    public int[] Counts => _counts;

    /// <summary>Every entry seen, matched or not.</summary>
    public long Flows => _flows;

    public ReadOnlyMemory<ContactV4> ContactsV4 => _contacts is null ? default : _contacts.V4.AsMemory(0, _v4Count);

    public ReadOnlyMemory<ContactV6> ContactsV6 => _contacts is null ? default : _contacts.V6.AsMemory(0, _v6Count);

    /// <remarks>An entry whose source and destination are the same address counts once for it, as outbound.</remarks>
    public void OnFlow(in ConntrackFlow flow)
    {
        _flows++;
        Side(flow.Source, flow.Destination, flow.Zone, outbound: true);
        if (!flow.Source.Equals(flow.Destination))
        {
            Side(flow.Destination, flow.Source, flow.Zone, outbound: false);
        }
    }

    /// <summary>
    /// A flow that began and ended since the last read (the events source saw both): its remotes are contacts of the
    /// cycle, but it is no entry of the table, so it counts for no fixed IP and not in <see cref="Flows"/>.
    /// </summary>
    public void OnEndedFlow(in ConntrackFlow flow)
    {
        if (_contacts is null)
        {
            return;
        }

        _weight = 0;
        Side(flow.Source, flow.Destination, flow.Zone, outbound: true);
        if (!flow.Source.Equals(flow.Destination))
        {
            Side(flow.Destination, flow.Source, flow.Zone, outbound: false);
        }

        _weight = 1;
    }

    /// <summary>Addresses whose entries were counted for several claimants this cycle, or whose claimants no zone
    /// tells apart, with their claimants' slots, in slot order.</summary>
    public IReadOnlyList<AmbiguousFixedIp> Ambiguous()
    {
        var heads = new SortedSet<int>(_index.Ambiguous);
        for (int slot = 0; slot < _ambiguous.Length; slot++)
        {
            if (_ambiguous[slot])
            {
                heads.Add(slot);
            }
        }

        var result = new List<AmbiguousFixedIp>(heads.Count);
        foreach (int head in heads)
        {
            var claimants = new List<int>();
            for (int s = head; s >= 0; s = _index.NextClaimant(s))
            {
                claimants.Add(s);
            }

            result.Add(new AmbiguousFixedIp(_index[head].Address, claimants));
        }

        return result;
    }

    /// <summary>Zeroes the counts and contacts so the same instance can attribute another read against the same index.</summary>
    public void Reset()
    {
        Array.Clear(_counts);
        Array.Clear(_ambiguous);
        _v4Count = 0;
        _v6Count = 0;
        _flows = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Side(in IpKey local, in IpKey remote, ushort zone, bool outbound)
    {
        if (!_index.TryFind(local, out int head))
        {
            return;
        }

        if (_index.IsKnownZone(zone))
        {
            int slot = _index.FindInZone(zone, local);
            if (slot >= 0)
            {
                Attribute(slot, remote, outbound);
                return;
            }

            if (slot == FixedIpIndex.NotInZone)
            {
                return; // the zone belongs to another port (or a router): not this address's entry
            }
        }

        Attribute(head, remote, outbound);
        int next = _index.NextClaimant(head);
        if (next >= 0)
        {
            AttributeToEveryClaimant(head, next, remote, outbound);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AttributeToEveryClaimant(int head, int next, in IpKey remote, bool outbound)
    {
        _ambiguous[head] = true;
        for (int s = next; s >= 0; s = _index.NextClaimant(s))
        {
            Attribute(s, remote, outbound);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Attribute(int slot, in IpKey remote, bool outbound)
    {
        _counts[slot] += _weight;
        if (_contacts is not null)
        {
            Record(_contacts, slot, remote, outbound);
        }
    }

    /// <summary>Half as much again: the buffers are kept, so what they overshoot stays allocated.</summary>
    private static int Grown(int length) => length + (length >> 1);

    private void Record(ContactBuffers contacts, int slot, in IpKey remote, bool outbound)
    {
        if (remote.IsV4)
        {
            if (_v4Count == contacts.V4.Length)
            {
                Array.Resize(ref contacts.V4, Grown(contacts.V4.Length));
            }

            contacts.V4[_v4Count++] = new ContactV4((uint)remote.Value, slot, outbound);
        }
        else
        {
            if (_v6Count == contacts.V6.Length)
            {
                Array.Resize(ref contacts.V6, Grown(contacts.V6.Length));
            }

            UInt128 value = remote.Value;
            contacts.V6[_v6Count++] = new ContactV6((ulong)(value >> 64), (ulong)value, slot, outbound);
        }
    }
}

/// <summary>
/// Room for one read's contacts, kept by the reader from one read to the next: a steady table (≈ 4.5 MB of them at 1 M
/// entries with 30 % attributed) then allocates nothing for them each cycle, where fresh arrays cost as much again in
/// garbage and in peak memory, both generations alive at once. Each read overwrites them from the start.
/// </summary>
public sealed class ContactBuffers
{
    internal ContactV4[] V4 = new ContactV4[16];
    internal ContactV6[] V6 = new ContactV6[16];
}
