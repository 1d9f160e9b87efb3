namespace Oie.ThreatIntel;

/// <summary>
/// The matcher in force, swapped atomically. Each feed publishes its entries under its bit; the holder rebuilds the
/// whole matcher off the lookup path (under a lock, so concurrent refreshes of different feeds cannot lose each
/// other's update) and readers keep using the previous one until the swap.
/// </summary>
public sealed class FeedMatcherHolder
{
    private readonly Lock _lock = new();
    private readonly FeedRanges?[] _feeds;
    private FeedMatcher _current = FeedMatcher.Empty;

    /// <param name="feedCount">Number of feed bits, at most 32.</param>
    public FeedMatcherHolder(int feedCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(feedCount, 32);
        _feeds = new FeedRanges?[feedCount];
    }

    public FeedMatcher Current => Volatile.Read(ref _current);

    public int FeedCount => _feeds.Length;

    /// <summary>Replaces feed <paramref name="feedBit"/>'s entries and swaps in a matcher built from all feeds.</summary>
    public void Publish(int feedBit, FeedRanges entries)
    {
        lock (_lock)
        {
            _feeds[feedBit] = entries;
            Volatile.Write(ref _current, FeedMatcher.Build(_feeds));
        }
    }
}
