using System.Buffers;
using System.IO.Pipelines;

namespace Oie.Conntrack.Tests;

/// <summary>
/// Zero bytes per line: the bytes allocated while reading 10k and 100k lines both stay under a small fixed bound (the
/// async state machine, at most), so they cannot grow with the line count. Every read here completes synchronously,
/// so GC.GetAllocatedBytesForCurrentThread sees all of it. Setup (pipes, segments, indexes) is not measured.
/// </summary>
public class AllocationTests
{
    private const long Bound = 2048;

    /// <summary>A fresh Pipe grows its pool of up to 256 returned segments once (~4.4 KB), and returning thousands of
    /// arrays to the shared ArrayPool can cost it a little bookkeeping, whatever the line count.</summary>
    private const long PipeBound = 8192;

    private static readonly Lazy<(byte[] Small, byte[] Large)> Captures =
        new(() => (GeneratedLines.Capture(10_000, seed: 7), GeneratedLines.Capture(100_000, seed: 8)));

    [Fact]
    public void Reading_memory_allocates_nothing_per_line() =>
        AssertBounded(capture =>
        {
            var sink = new CountingSink();
            return () => ConntrackTableReader.Read(capture, sink).Flows;
        });

    [Fact]
    public void Reading_a_stream_allocates_nothing_per_line() =>
        AssertBounded(capture =>
        {
            var stream = new MemoryStream(capture, writable: false);
            var sink = new CountingSink();
            return () => ConntrackTableReader.Read(stream, sink, CancellationToken.None).Flows;
        });

    [Fact]
    public void Reading_segments_where_lines_cross_boundaries_allocates_nothing_per_line() =>
        AssertBounded(capture =>
        {
            // Uneven segment sizes, mostly shorter than a line: nearly every line crosses a boundary.
            int next = 0;
            PipeReader reader = PipeReader.Create(Chunk.Split(capture, () => 37 + (next++ % 5 * 29)));
            var sink = new CountingSink();
            return () => ConntrackTableReader.ReadAsync(reader, sink, CancellationToken.None).GetAwaiter().GetResult().Flows;
        });

    [Fact]
    public void Reading_a_pipe_with_small_segments_allocates_nothing_per_line() =>
        AssertBounded(capture =>
        {
            var pipe = new Pipe(new PipeOptions(minimumSegmentSize: 64, pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
            for (int offset = 0; offset < capture.Length; offset += 50)
            {
                pipe.Writer.Write(capture.AsSpan(offset, Math.Min(50, capture.Length - offset)));
            }

            pipe.Writer.Complete();
            var sink = new CountingSink();
            return () => ConntrackTableReader.ReadAsync(pipe.Reader, sink, CancellationToken.None).GetAwaiter().GetResult().Flows;
        }, bound: PipeBound);

    [Fact]
    public void Attributing_allocates_nothing_per_flow() =>
        AssertBounded(capture =>
        {
            var attribution = new FlowAttribution(FixedIpIndex.Build(AttributionTests.Instances(1_000)));
            return () =>
            {
                ConntrackTableReader.Read(capture, attribution);
                return attribution.Flows;
            };
        });

    [Fact]
    public void Attributing_by_zone_between_tenants_that_share_addresses_allocates_nothing_per_flow()
    {
        // Two tenants with the same 1,000 fixed IPs; tenant a's ports have zones 1..1000, tenant b's 1001..2000, and
        // the entries are spread over both tenants' zones, zone 0 (counted for both) and an unknown zone.
        var ports = new Dictionary<string, ushort>();
        Instance Tenant(string tenant, int i, int zone)
        {
            string port = $"{tenant}{i:x7}-0000-4000-8000-000000000000";
            ports[port] = (ushort)zone;
            return InstanceBuilder.Nova($"{tenant}-{i}", $"{tenant}{i:x7}-0000-4000-8000-00000000000a").FixedIp($"10.1.{i >> 8}.{i & 0xFF}", 4, port);
        }

        List<Instance> instances = [.. Enumerable.Range(0, 1_000).Select(i => Tenant("a", i, i + 1)), .. Enumerable.Range(0, 1_000).Select(i => Tenant("b", i, i + 1_001))];
        var zones = new MapZones(ports);
        static byte[] Capture(int lines)
        {
            var text = new System.Text.StringBuilder();
            for (int n = 0; n < lines; n++)
            {
                int i = n % 1_000;
                int zone = (n / 1_000 % 4) switch { 0 => i + 1, 1 => i + 1_001, 2 => 0, _ => 60_000 };
                text.Append($"ipv4     2 tcp      6 300 ESTABLISHED src=10.1.{i >> 8}.{i & 0xFF} dst=198.51.100.{n % 200} sport=40000 dport=443 ")
                    .Append($"src=198.51.100.{n % 200} dst=10.1.{i >> 8}.{i & 0xFF} sport=443 dport=40000 [ASSURED] mark=0 zone={zone} use=1\n");
            }

            return System.Text.Encoding.ASCII.GetBytes(text.ToString());
        }

        var captures = (Capture(10_000), Capture(100_000));
        AssertBounded(capture =>
        {
            var attribution = new FlowAttribution(FixedIpIndex.Build(instances, zones));
            return () =>
            {
                ConntrackTableReader.Read(capture, attribution);
                return attribution.Flows;
            };
        }, captures: captures);

        var check = new FlowAttribution(FixedIpIndex.Build(instances, zones));
        ConntrackTableReader.Read(captures.Item1, check);
        // Each address has 10 entries: 3 in each tenant's zone, 2 in zone 0 and 2 in an unknown zone (both counted for both).
        Assert.All(check.Counts, count => Assert.Equal(7, count));
    }

    private sealed class MapZones(Dictionary<string, ushort> ports) : IPortZones
    {
        private readonly HashSet<ushort> _known = [.. ports.Values];

        public bool TryGetZone(string portId, out ushort zone) => ports.TryGetValue(portId, out zone);

        public bool IsKnownZone(ushort zone) => _known.Contains(zone);
    }

    /// <summary>Warms up (JIT, pools, one-time runtime bookkeeping) on both captures, then measures the read of 10k and
    /// of 100k lines.</summary>
    private static void AssertBounded(Func<byte[], Func<long>> prepare, long bound = Bound, (byte[] Small, byte[] Large)? captures = null)
    {
        (byte[] small, byte[] large) = captures ?? Captures.Value;
        prepare(small)();
        prepare(large)();

        long forSmall = AllocationMeter.LeastOfThree(() => prepare(small), n => Assert.Equal(10_000, n));
        long forLarge = AllocationMeter.LeastOfThree(() => prepare(large), n => Assert.Equal(100_000, n));

        string measured = $"10k lines allocated {forSmall} bytes, 100k lines {forLarge}";
        Assert.True(forSmall < bound && forLarge < bound, measured);
        Assert.True(forLarge - forSmall < 2048, measured); // 90k more lines: far below one byte per line
    }
}
