using CsCheck;

namespace Oie.ThreatIntel.Tests;

/// <summary>The compiled matcher against a naive reference: a list of (first, last, bit) checked one by one.</summary>
public class FeedMatcherPropertyTests
{
    private const string Seed = "0N0XIzNsQ0O2";

    // Every prefix length, with a lean towards long prefixes so that sparse lists (not just "everything") are covered.
    private static readonly Gen<int> V4Prefix = Gen.Frequency((1, Gen.Int[0, 32]), (2, Gen.Int[12, 32]));
    private static readonly Gen<int> V6Prefix = Gen.Frequency((1, Gen.Int[0, 128]), (2, Gen.Int[24, 128]));

    // Networks drawn near each other as well as anywhere, so that ranges overlap and nest.
    private static readonly Gen<uint> V4Network = Gen.Frequency((1, Gen.UInt), (2, Gen.UInt[0x0A000000, 0x0A00FFFF]));
    private static readonly Gen<UInt128> V6Network = Gen.Frequency(
        (1, Gen.UInt128),
        (2, Gen.ULong[0, 0xFFFFFF].Select(low => ((UInt128)0x2a0e1c80_00000000UL << 64) | ((UInt128)low << 40))));

    private static readonly Gen<(int Bit, int Prefix, uint Network)[]> V4Cidrs =
        Gen.Select(Gen.Int[0, 31], V4Prefix, V4Network).Array[0, 40];

    private static readonly Gen<(int Bit, int Prefix, UInt128 Network)[]> V6Cidrs =
        Gen.Select(Gen.Int[0, 31], V6Prefix, V6Network).Array[0, 40];

    [Fact]
    public void IPv4_lookups_agree_with_the_naive_reference() =>
        Gen.Select(V4Cidrs, Gen.UInt.Array[64]).Sample((cidrs, randomProbes) =>
        {
            var builders = Enumerable.Range(0, 32).Select(_ => new FeedEntriesBuilder()).ToArray();
            foreach (var (bit, prefix, network) in cidrs)
                builders[bit].AddV4Cidr(network, prefix);
            var matcher = FeedMatcher.Build([.. builders.Select(FeedRanges.From)]);
            var reference = builders.SelectMany((b, bit) => b.V4.Select(r => (r.First, r.Last, Bit: 1u << bit))).ToList();

            var probes = new List<uint>(randomProbes) { 0, uint.MaxValue };
            foreach (var (first, last, _) in reference)
                probes.AddRange([first, last, first - 1, last + 1, first & 0xFFFF0000, (last & 0xFFFF0000) - 1]);
            foreach (var address in probes)
            {
                var expected = 0u;
                foreach (var (first, last, bit) in reference)
                {
                    if (first <= address && address <= last)
                        expected |= bit;
                }
                Assert.True(expected == matcher.LookupV4(address), $"{Ip.Format(address)}: expected {expected:x8}, got {matcher.LookupV4(address):x8}");
            }
        }, seed: Seed, iter: 3000, threads: 1);

    [Fact]
    public void IPv6_lookups_agree_with_the_naive_reference() =>
        Gen.Select(V6Cidrs, Gen.UInt128.Array[64]).Sample((cidrs, randomProbes) =>
        {
            var builders = Enumerable.Range(0, 32).Select(_ => new FeedEntriesBuilder()).ToArray();
            foreach (var (bit, prefix, network) in cidrs)
                builders[bit].AddV6Cidr(network, prefix);
            var matcher = FeedMatcher.Build([.. builders.Select(FeedRanges.From)]);
            var reference = builders.SelectMany((b, bit) => b.V6.Select(r => (r.First, r.Last, Bit: 1u << bit))).ToList();

            var top16 = ~(UInt128.MaxValue >> 16);
            var probes = new List<UInt128>(randomProbes) { UInt128.Zero, UInt128.MaxValue };
            foreach (var (first, last, _) in reference)
                probes.AddRange([first, last, first - 1, last + 1, first & top16, (last & top16) - 1]);
            foreach (var address in probes)
            {
                var expected = 0u;
                foreach (var (first, last, bit) in reference)
                {
                    if (first <= address && address <= last)
                        expected |= bit;
                }
                Assert.True(expected == matcher.LookupV6(address), $"{address:x32}: expected {expected:x8}, got {matcher.LookupV6(address):x8}");
            }
        }, seed: Seed, iter: 3000, threads: 1);

    [Fact]
    public void Every_prefix_length_of_both_families_matches_exactly_its_block()
    {
        var random = new Random(4);
        for (var prefix = 0; prefix <= 32; prefix++)
        {
            var entries = new FeedEntriesBuilder();
            entries.AddV4Cidr((uint)random.NextInt64(0, 1L << 32), prefix);
            var (first, last) = entries.V4[0];
            var matcher = FeedMatcher.Build([FeedRanges.From(entries)]);
            Assert.Equal(1u, matcher.LookupV4(first));
            Assert.Equal(1u, matcher.LookupV4(last));
            Assert.Equal(1u, matcher.LookupV4(first + (last - first) / 2));
            Assert.Equal(first - 1 >= first && first - 1 <= last ? 1u : 0u, matcher.LookupV4(first - 1));
            Assert.Equal(last + 1 >= first && last + 1 <= last ? 1u : 0u, matcher.LookupV4(last + 1));
        }
        for (var prefix = 0; prefix <= 128; prefix++)
        {
            var entries = new FeedEntriesBuilder();
            entries.AddV6Cidr(((UInt128)(ulong)random.NextInt64() << 64) | (ulong)random.NextInt64(), prefix);
            var (first, last) = entries.V6[0];
            var matcher = FeedMatcher.Build([FeedRanges.From(entries)]);
            Assert.Equal(1u, matcher.LookupV6(first));
            Assert.Equal(1u, matcher.LookupV6(last));
            Assert.Equal(1u, matcher.LookupV6(first + (last - first) / 2));
            Assert.Equal(first - 1 >= first && first - 1 <= last ? 1u : 0u, matcher.LookupV6(first - 1));
            Assert.Equal(last + 1 >= first && last + 1 <= last ? 1u : 0u, matcher.LookupV6(last + 1));
        }
    }

    [Fact]
    public void A_million_entry_list_with_the_finer_first_level_index_agrees_with_a_set()
    {
        var random = new Random(11);
        var custom = new FeedEntriesBuilder();
        var listed = new HashSet<uint>();
        for (var i = 0; i < 1_000_000; i++)
        {
            var address = (uint)random.NextInt64(0, 1L << 32);
            custom.AddV4(address);
            listed.Add(address);
        }
        var drop = new FeedEntriesBuilder();
        drop.AddV4Cidr(Ip.V4("1.0.0.0"), 8);
        drop.AddV4Cidr(Ip.V4("100.64.0.0"), 10);
        var matcher = FeedMatcher.Build([FeedRanges.From(custom), FeedRanges.From(drop)]);
        Assert.True(matcher.V4Segments > 1 << 20);

        static bool InDrop(uint a) => a >> 24 == 1 || a >> 22 == Ip.V4("100.64.0.0") >> 22;
        var probes = listed.Take(50_000).SelectMany(a => new[] { a, a - 1, a + 1 })
            .Concat(Enumerable.Range(0, 200_000).Select(_ => (uint)random.NextInt64(0, 1L << 32)))
            .Concat(new uint[] { 0x00FFFFFF, 0x01000000, 0x01FFFFFF, 0x02000000, 0x643FFFFF, 0x64400000, 0x647FFFFF, 0x64800000 });
        foreach (var address in probes)
        {
            var expected = (listed.Contains(address) ? 1u : 0u) | (InDrop(address) ? 2u : 0u);
            Assert.True(expected == matcher.LookupV4(address), $"{Ip.Format(address)}: expected {expected}, got {matcher.LookupV4(address)}");
        }
    }
}
