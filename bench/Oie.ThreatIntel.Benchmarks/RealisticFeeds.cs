using Oie.Abstractions;

namespace Oie.ThreatIntel.Benchmarks;

/// <summary>
/// Feeds at the sizes seen in production: ~2k Tor relay addresses (v4 and v6), ~1.5k Spamhaus DROP CIDRs (/10–/24 and
/// v6 /29–/48), ~1k EmergingThreats addresses and a 1M-entry custom list, from a fixed seed.
/// </summary>
internal static class RealisticFeeds
{
    public static FeedRanges[] Build(int seed = 42)
    {
        var random = new Random(seed);
        var tor = new FeedEntriesBuilder();
        for (var i = 0; i < 1600; i++)
            tor.AddV4(RandomV4(random));
        for (var i = 0; i < 400; i++)
            tor.AddV6(RandomV6(random));
        var drop = new FeedEntriesBuilder();
        for (var i = 0; i < 1400; i++)
            drop.AddV4Cidr(RandomV4(random), random.Next(10, 25));
        for (var i = 0; i < 100; i++)
            drop.AddV6Cidr(RandomV6(random), random.Next(29, 49));
        var et = new FeedEntriesBuilder();
        for (var i = 0; i < 1000; i++)
            et.AddV4(RandomV4(random));
        var custom = new FeedEntriesBuilder();
        for (var i = 0; i < 900_000; i++)
            custom.AddV4(RandomV4(random));
        for (var i = 0; i < 100_000; i++)
            custom.AddV6(RandomV6(random));
        return [FeedRanges.From(tor), FeedRanges.From(drop), FeedRanges.From(et), FeedRanges.From(custom)];
    }

    public static uint RandomV4(Random random) => (uint)random.NextInt64(0, 1L << 32);

    /// <summary>Inside 2000::/3, where every routed IPv6 address is.</summary>
    public static UInt128 RandomV6(Random random) =>
        ((UInt128)(0x2000_0000_0000_0000UL | ((ulong)random.NextInt64() & 0x1FFF_FFFF_FFFF_FFFFUL)) << 64) | (ulong)random.NextInt64();
}
