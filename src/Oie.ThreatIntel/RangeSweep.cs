using System.Numerics;

namespace Oie.ThreatIntel;

/// <summary>
/// Turns overlapping ranges from up to 32 feeds into disjoint segments that cover the whole address space, each with the
/// mask of the feeds listing it. A sweep over range boundaries: +feed at First, −feed at Last+1, with a per-feed depth
/// so that nested or overlapping ranges of the same feed (any prefix lengths) stay correct. Adjacent segments with the
/// same mask are merged.
/// </summary>
internal static class RangeSweep
{
    public static (T[] Starts, uint[] Masks) Build<T>(IReadOnlyList<IReadOnlyList<(T First, T Last)>?> feeds)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var eventCount = 0;
        foreach (var ranges in feeds)
            eventCount += ranges is null ? 0 : ranges.Count * 2;
        var keys = new T[eventCount];
        var ops = new int[eventCount];
        var n = 0;
        for (var feed = 0; feed < feeds.Count; feed++)
        {
            if (feeds[feed] is not { } ranges)
                continue;
            foreach (var (first, last) in ranges)
            {
                if (first > last)
                    continue;
                keys[n] = first;
                ops[n++] = feed << 1;
                if (last != T.MaxValue)
                {
                    keys[n] = last + T.One;
                    ops[n++] = (feed << 1) | 1;
                }
            }
        }
        Array.Sort(keys, ops, 0, n);

        var starts = new T[n + 1];
        var masks = new uint[n + 1];
        var segments = 1; // starts[0] = 0, masks[0] = 0: the space below the first listed address.
        Span<int> depth = stackalloc int[32];
        uint mask = 0;
        for (var i = 0; i < n;)
        {
            var position = keys[i];
            for (; i < n && keys[i] == position; i++)
            {
                var feed = ops[i] >> 1;
                if ((ops[i] & 1) == 0)
                {
                    if (depth[feed]++ == 0)
                        mask |= 1u << feed;
                }
                else if (--depth[feed] == 0)
                {
                    mask &= ~(1u << feed);
                }
            }
            if (position == starts[segments - 1])
            {
                masks[segments - 1] = mask;
                if (segments >= 2 && masks[segments - 2] == mask)
                    segments--;
            }
            else if (mask != masks[segments - 1])
            {
                starts[segments] = position;
                masks[segments++] = mask;
            }
        }
        return (starts[..segments], masks[..segments]);
    }
}
