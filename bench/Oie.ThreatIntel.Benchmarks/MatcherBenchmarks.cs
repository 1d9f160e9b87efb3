using BenchmarkDotNet.Attributes;

namespace Oie.ThreatIntel.Benchmarks;

/// <summary>
/// Lookups per second over the four realistic feeds compiled together. Remote addresses are random (almost all
/// misses, as in real traffic) with every 64th one taken from a listed range, so hits cost what they cost.
/// </summary>
[MemoryDiagnoser]
public class MatcherBenchmarks
{
    private const int Probes = 1 << 20;
    private FeedRanges[] _feeds = null!;
    private FeedMatcher _matcher = null!;
    private uint[] _v4 = null!;
    private UInt128[] _v6 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _feeds = RealisticFeeds.Build();
        _matcher = FeedMatcher.Build(_feeds);
        var random = new Random(7);
        _v4 = new uint[Probes];
        _v6 = new UInt128[Probes];
        for (var i = 0; i < Probes; i++)
        {
            var feed = _feeds[i % _feeds.Length];
            _v4[i] = i % 64 == 0 ? feed.V4[random.Next(feed.V4.Count)].First : RealisticFeeds.RandomV4(random);
            _v6[i] = i % 64 == 0 ? feed.V6.Count > 0 ? feed.V6[random.Next(feed.V6.Count)].Last : RealisticFeeds.RandomV6(random) : RealisticFeeds.RandomV6(random);
        }
        Console.WriteLine($"// segments: v4 {_matcher.V4Segments:N0}, v6 {_matcher.V6Segments:N0}");
    }

    [Benchmark(OperationsPerInvoke = Probes)]
    public uint LookupV4()
    {
        var matcher = _matcher;
        uint hits = 0;
        foreach (var address in _v4)
            hits |= matcher.LookupV4(address);
        return hits;
    }

    [Benchmark(OperationsPerInvoke = Probes)]
    public uint LookupV6()
    {
        var matcher = _matcher;
        uint hits = 0;
        foreach (var address in _v6)
            hits |= matcher.LookupV6(address);
        return hits;
    }

    /// <summary>What a refresh costs off the hot path: compiling all four feeds.</summary>
    [Benchmark]
    public FeedMatcher Build() => FeedMatcher.Build(_feeds);
}
