namespace Oie.Conntrack.Tests;

/// <summary>
/// Zero bytes per entry: parsing (and attributing) a dump of 10k and one of 100k entries both allocate under a small
/// fixed bound, so the allocation cannot grow with the entry count. Building the dumps is not measured.
/// </summary>
public class NetlinkAllocationTests
{
    private const long Bound = 1024;

    private static readonly Lazy<((byte[] Buffer, int[] Ends) Small, (byte[] Buffer, int[] Ends) Large)> Dumps =
        new(() => (NetlinkDumps.Dump(NetlinkDumps.Random(10_000, seed: 3)), NetlinkDumps.Dump(NetlinkDumps.Random(100_000, seed: 4))));

    [Fact]
    public void Parsing_a_dump_allocates_nothing_per_entry() =>
        AssertBounded(dump =>
        {
            var sink = new CountingSink();
            return () => NetlinkDumps.Parse(dump.Buffer, dump.Ends, sink).Flows;
        });

    [Fact]
    public void Parsing_and_attributing_a_dump_allocates_nothing_per_entry() =>
        AssertBounded(dump =>
        {
            var attribution = new FlowAttribution(FixedIpIndex.Build(AttributionTests.Instances(1_000)));
            return () =>
            {
                attribution.Reset();
                NetlinkDumps.Parse(dump.Buffer, dump.Ends, attribution);
                return attribution.Flows;
            };
        });

    private static void AssertBounded(Func<(byte[] Buffer, int[] Ends), Func<long>> prepare)
    {
        var (small, large) = Dumps.Value;
        prepare(small)();
        prepare(large)();

        long forSmall = AllocationMeter.LeastOfThree(() => prepare(small), n => Assert.Equal(10_000, n));
        long forLarge = AllocationMeter.LeastOfThree(() => prepare(large), n => Assert.Equal(100_000, n));
        string measured = $"10k entries allocated {forSmall} bytes, 100k entries {forLarge}";
        Assert.True(forSmall < Bound && forLarge < Bound, measured);
    }
}
