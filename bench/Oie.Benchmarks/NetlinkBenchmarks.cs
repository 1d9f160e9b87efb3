using BenchmarkDotNet.Attributes;
using Oie.Abstractions;
using Oie.Conntrack;
using Oie.Conntrack.Netlink;
using Oie.Conntrack.Tests;
using Oie.Net;

namespace Oie.Benchmarks;

/// <summary>
/// One cycle over a synthetic ctnetlink dump of 1,000,000 entries laid out as the kernel dumps them (~250 B an entry
/// with both tuples, status, timeout, TCP protoinfo, mark, counters, id, use; 32 KiB datagrams), with the flow mix of
/// <see cref="CaptureGenerator"/>: parse only, and parse + attribute (index build included). The socket is not in it:
/// `dotnet Oie.Benchmarks.dll dump NETNS` times the live kernel dump.
/// </summary>
[MemoryDiagnoser]
public class NetlinkBenchmarks
{
    private byte[] _dump = [];
    private int[] _ends = [];
    private List<Instance> _instances = [];

    [GlobalSetup]
    public void Setup()
    {
        (_dump, _ends) = NetlinkDumps.Dump(Entries(CaptureGenerator.DefaultLines));
        _instances = CaptureGenerator.Instances();
    }

    public long DumpBytes => _dump.Length;

    [Benchmark]
    public long NetlinkParseOnly_Memory()
    {
        var sink = new ChecksumSink();
        return NetlinkDumps.Parse(_dump, _ends, sink).Flows + sink.Checksum;
    }

    [Benchmark]
    public long NetlinkParseAndAttribute_Memory()
    {
        var attribution = new FlowAttribution(FixedIpIndex.Build(_instances));
        NetlinkDumps.Parse(_dump, _ends, attribution);
        long matched = 0;
        foreach (int count in attribution.Counts)
        {
            matched += count;
        }

        return matched;
    }

    /// <summary>The capture's mix: 75 % IPv4, 60 % tcp / 35 % udp / 5 % icmp, ~30 % touching a fixed IP.</summary>
    internal static List<DumpEntry> Entries(int count, int instances = CaptureGenerator.DefaultInstances)
    {
        var random = new Random(20261127);
        var entries = new List<DumpEntry>(count);
        for (int n = 0; n < count; n++)
        {
            bool v6 = random.Next(4) == 0;
            int touch = random.Next(100);
            IpKey instance = v6 ? CaptureGenerator.V6(random.Next(instances)) : CaptureGenerator.V4(random.Next(instances));
            IpKey remote = CaptureGenerator.Remote(random, v6);
            (IpKey src, IpKey dst) = touch switch
            {
                < 18 => (instance, remote),
                < 30 => (remote, instance),
                _ => (CaptureGenerator.Remote(random, v6), remote),
            };
            int p = random.Next(100);
            byte protocol = p < 60 ? (byte)6 : p < 95 ? (byte)17 : v6 ? (byte)58 : (byte)1;
            entries.Add(new DumpEntry(new ConntrackFlow(src, dst, protocol), (ushort)random.Next(1024, 65536), protocol == 17 ? (ushort)53 : (ushort)443));
        }

        return entries;
    }

    private sealed class ChecksumSink : IFlowSink
    {
        public long Checksum { get; private set; }

        public void OnFlow(in ConntrackFlow flow) => Checksum += flow.Protocol;
    }
}
