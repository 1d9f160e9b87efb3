using Oie.Abstractions;

namespace Oie.ThreatIntel;

/// <summary>The inclusive address ranges one feed (or one of its sources) lists, frozen.</summary>
public sealed class FeedRanges
{
    public static readonly FeedRanges Empty = new([], []);

    public FeedRanges((uint First, uint Last)[] v4, (UInt128 First, UInt128 Last)[] v6)
    {
        V4 = v4;
        V6 = v6;
    }

    public IReadOnlyList<(uint First, uint Last)> V4 { get; }
    public IReadOnlyList<(UInt128 First, UInt128 Last)> V6 { get; }

    /// <summary>Distinct entries (an address or a CIDR each; the same one listed twice, or by two sources, counts once).</summary>
    public int Count => V4.Count + V6.Count;

    /// <summary>The builder's entries, which it keeps sorted and distinct.</summary>
    public static FeedRanges From(FeedEntriesBuilder entries) => new([.. entries.V4], [.. entries.V6]);

    public static FeedRanges Union(IEnumerable<FeedRanges> parts)
    {
        var list = parts.ToList();
        return list.Count switch
        {
            0 => Empty,
            1 => list[0],
            _ => new(Distinct(list.SelectMany(p => p.V4)), Distinct(list.SelectMany(p => p.V6))),
        };
    }

    private static (T First, T Last)[] Distinct<T>(IEnumerable<(T First, T Last)> ranges) where T : IComparable<T>, IEquatable<T> =>
        [.. ranges.Distinct().Order(Comparer<(T First, T Last)>.Create(static (a, b) =>
            a.First.CompareTo(b.First) is var first and not 0 ? first : a.Last.CompareTo(b.Last)))];
}
