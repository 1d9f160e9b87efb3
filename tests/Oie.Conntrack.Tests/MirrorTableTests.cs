using Oie.Conntrack.Events;
using Oie.Conntrack.Netlink;

namespace Oie.Conntrack.Tests;

/// <summary>The mirror's table against a dictionary model, and the mirror's dump/event bookkeeping.</summary>
public class MirrorTableTests
{
    private readonly record struct Entry(ulong Key, int Value) : IMirrorEntry;

    [Fact]
    public void Random_adds_and_removes_match_a_dictionary_through_growth()
    {
        var table = new MirrorTable<Entry>();
        var model = new Dictionary<ulong, int>();
        var random = new Random(19);
        // Few distinct keys, so adds of a key already there and removes of a key not there are common; keys in a
        // narrow range also collide in the index and exercise the backward-shift deletion.
        for (int step = 0; step < 200_000; step++)
        {
            ulong key = (ulong)random.Next(20_000) * (step % 3 == 0 ? 1UL : 0x1_0000_0000UL);
            if (random.Next(3) < 2)
            {
                Assert.Equal(model.TryAdd(key, step), table.Add(new Entry(key, step)));
            }
            else
            {
                bool expected = model.Remove(key, out int value);
                Assert.Equal(expected, table.Remove(key, out Entry removed));
                if (expected)
                {
                    Assert.Equal(new Entry(key, value), removed);
                }
            }
        }

        Assert.Equal(model.Count, table.Count);
        Assert.Equal(model.OrderBy(p => p.Key).Select(p => new Entry(p.Key, p.Value)), table.Entries.ToArray().OrderBy(e => e.Key));
        foreach (ulong key in model.Keys)
        {
            Assert.True(table.Contains(key));
        }
    }

    [Fact]
    public void A_million_entries_grow_the_table_and_clearing_keeps_it_usable()
    {
        var table = new MirrorTable<Entry>();
        for (int i = 0; i < 1_000_000; i++)
        {
            Assert.True(table.Add(new Entry((ulong)i * 7919, i)));
        }

        Assert.Equal(1_000_000, table.Count);
        Assert.False(table.Add(new Entry(7919UL * 500_000, -1)));
        for (int i = 0; i < 1_000_000; i += 2)
        {
            Assert.True(table.Remove((ulong)i * 7919, out _));
        }

        Assert.Equal(500_000, table.Count);
        Assert.All(table.Entries.ToArray(), e => Assert.Equal(1, e.Value % 2));
        table.Clear();
        Assert.Equal(0, table.Count);
        Assert.False(table.Contains(7919));
        Assert.True(table.Add(new Entry(7919, 1)));
    }

    private static DumpEntry Udp(string source, string destination, ushort port, uint id, ushort zone = 0) =>
        new(new ConntrackFlow(IpKey.Parse(source), IpKey.Parse(destination), 17, 0), SourcePort: port, DestinationPort: 53, Zone: zone, Id: id);

    /// <summary>The message's payload, after its nlmsghdr.</summary>
    private static ReadOnlySpan<byte> Payload(byte[] message) => message.AsSpan(CtNetlink.NetlinkHeaderLength);

    [Fact]
    public void A_flow_in_the_dump_and_in_a_new_event_counts_once_and_its_destroy_removes_it()
    {
        var mirror = new ConntrackMirror();
        DumpEntry flow = Udp("10.0.0.5", "198.51.100.9", 4000, 1);
        Assert.True(mirror.TryAdd(Payload(NetlinkDumps.Entry(flow)), out bool added));
        Assert.True(added);
        Assert.True(mirror.TryAdd(Payload(NetlinkDumps.Event(flow, destroy: false)), out added));
        Assert.False(added);
        Assert.Equal(1, mirror.Count);

        Assert.True(mirror.TryRemove(Payload(NetlinkDumps.Event(flow, destroy: true)), out bool removed, out _));
        Assert.True(removed);
        Assert.Equal(0, mirror.Count);
        // A destroy of an entry the dump never saw (it ended first) changes nothing.
        Assert.True(mirror.TryRemove(Payload(NetlinkDumps.Event(flow, destroy: true)), out removed, out _));
        Assert.False(removed);
    }

    [Fact]
    public void Same_id_other_tuple_and_same_tuple_other_id_are_other_entries()
    {
        var mirror = new ConntrackMirror();
        DumpEntry first = Udp("10.0.0.5", "198.51.100.9", 4000, 7);
        DumpEntry sameIdOtherPort = Udp("10.0.0.5", "198.51.100.9", 4001, 7);
        DumpEntry sameTupleNewId = Udp("10.0.0.5", "198.51.100.9", 4000, 8);
        DumpEntry otherZone = Udp("10.0.0.5", "198.51.100.9", 4000, 7, zone: 3);
        DumpEntry v6 = new(new ConntrackFlow(IpKey.Parse("fd00::5"), IpKey.Parse("2001:db8::9"), 6, 0), Id: 7);
        foreach (DumpEntry entry in new[] { first, sameIdOtherPort, sameTupleNewId, otherZone, v6 })
        {
            Assert.True(mirror.TryAdd(Payload(NetlinkDumps.Entry(entry)), out bool added));
            Assert.True(added);
        }

        Assert.Equal((4, 1), (mirror.CountV4, mirror.CountV6));
        // The flow that ended and began again with the same ports: removing the old one leaves the new one.
        Assert.True(mirror.TryRemove(Payload(NetlinkDumps.Event(first, destroy: true)), out bool removed, out _));
        Assert.True(removed);
        var replayed = new RecordingSink();
        mirror.Replay(replayed);
        Assert.Equal(4, replayed.Flows.Count);
        Assert.Contains(otherZone.Parsed, replayed.Flows);
        Assert.Contains(v6.Parsed, replayed.Flows);
    }

    [Fact]
    public void A_flow_added_and_removed_in_one_generation_is_reported_as_ended()
    {
        var mirror = new ConntrackMirror();
        DumpEntry old = Udp("10.0.0.5", "198.51.100.9", 4000, 1);
        DumpEntry brief = Udp("10.0.0.5", "198.51.100.10", 4001, 2);
        mirror.TryAdd(Payload(NetlinkDumps.Entry(old)), out _);
        mirror.NextGeneration();
        mirror.TryAdd(Payload(NetlinkDumps.Event(brief, destroy: false)), out _);

        Assert.True(mirror.TryRemove(Payload(NetlinkDumps.Event(old, destroy: true)), out _, out ConntrackFlow? ended));
        Assert.Null(ended); // began in an earlier cycle, whose replay saw it
        Assert.True(mirror.TryRemove(Payload(NetlinkDumps.Event(brief, destroy: true)), out _, out ended));
        Assert.Equal(brief.Parsed, ended);
    }

    [Fact]
    public void A_malformed_event_is_refused()
    {
        var mirror = new ConntrackMirror();
        Assert.False(mirror.TryAdd(new byte[3], out _));
        Assert.False(mirror.TryRemove([2, 0, 0, 0], out _, out _));
        Assert.Equal(0, mirror.Count);
    }
}
