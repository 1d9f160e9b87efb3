using System.Diagnostics;
using Oie.Conntrack.Events;
using Oie.Conntrack.Netlink;
using Xunit.Abstractions;

namespace Oie.Conntrack.Tests;

/// <summary>
/// The events source's mirror at a million IPv4 entries: what it holds in memory (asserted) and what replaying it
/// through attribution costs each cycle (printed; see docs/performance.md for the command and the figures).
/// </summary>
public class MirrorFigures(ITestOutputHelper output)
{
    [Fact]
    public void A_million_entry_mirror_fits_in_32_MiB_and_its_replay_is_timed()
    {
        var mirror = new ConntrackMirror();
        var random = new Random(1);
        var instances = AttributionTests.Instances(1000);
        var index = FixedIpIndex.Build(instances);
        long before = GC.GetTotalMemory(true);
        for (int i = 0; i < 1_000_000; i++)
        {
            int vm = random.Next(1, 1001);
            uint local = (10u << 24) | (uint)((vm >> 16 & 0xFF) << 16) | (uint)((vm >> 8 & 0xFF) << 8) | (uint)(vm & 0xFF);
            uint remote = (uint)random.Next();
            var flow = i % 3 == 0 ? new ConntrackFlow(IpKey.FromV4(remote), IpKey.FromV4(remote ^ 1), 17) : new ConntrackFlow(IpKey.FromV4(local), IpKey.FromV4(remote), 6);
            byte[] message = NetlinkDumps.Entry(new DumpEntry(flow, SourcePort: (ushort)i, Id: (uint)random.Next()));
            Assert.True(mirror.TryAdd(message.AsSpan(CtNetlink.NetlinkHeaderLength), out _));
        }
        long after = GC.GetTotalMemory(true);
        Assert.InRange(mirror.AllocatedBytes, 0, 32L << 20);
        output.WriteLine($"entries {mirror.Count}, mirror arrays {mirror.AllocatedBytes / 1048576.0:F1} MiB, heap growth {(after - before) / 1048576.0:F1} MiB");
        var times = new List<double>();
        for (int round = 0; round < 7; round++)
        {
            var attribution = new FlowAttribution(index, recordContacts: true);
            var clock = Stopwatch.StartNew();
            mirror.Replay(attribution);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        output.WriteLine($"replay+attribute 1M: min {times[0]:F1} ms, median {times[3]:F1} ms, max {times[^1]:F1} ms");
        var sink = new CountingSink();
        var clock2 = Stopwatch.StartNew();
        mirror.Replay(sink);
        output.WriteLine($"replay only 1M: {clock2.Elapsed.TotalMilliseconds:F1} ms");
    }
}
