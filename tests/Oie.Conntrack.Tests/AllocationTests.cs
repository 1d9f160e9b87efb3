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

    /// <summary>Warms up (JIT, pools, one-time runtime bookkeeping) on both captures, then measures the read of 10k and
    /// of 100k lines.</summary>
    private static void AssertBounded(Func<byte[], Func<long>> prepare, long bound = Bound)
    {
        (byte[] small, byte[] large) = Captures.Value;
        prepare(small)();
        prepare(large)();

        long forSmall = AllocationMeter.LeastOfThree(() => prepare(small), n => Assert.Equal(10_000, n));
        long forLarge = AllocationMeter.LeastOfThree(() => prepare(large), n => Assert.Equal(100_000, n));

        string measured = $"10k lines allocated {forSmall} bytes, 100k lines {forLarge}";
        Assert.True(forSmall < bound && forLarge < bound, measured);
        Assert.True(forLarge - forSmall < 2048, measured); // 90k more lines: far below one byte per line
    }
}
