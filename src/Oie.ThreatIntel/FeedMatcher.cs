using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Oie.ThreatIntel;

/// <summary>
/// All enabled feeds compiled into one immutable structure per address family: disjoint segments that cover the whole
/// space, sorted by first address, each with the mask of the feeds listing it (bit i = feed i). A lookup is a
/// predecessor search: a first-level index on the top 16 bits (up to 20 for
/// large IPv4 lists) narrows it to the segments that overlap
/// that top-16-bit bucket, then a branch-free binary search. The index only accelerates the search: the segments
/// themselves are exact, so prefixes shorter than the bucket (1.0.0.0/8, 2a0e:1c80::/29) match like any other.
/// Lookups allocate nothing and are safe from any number of threads.
/// </summary>
public sealed class FeedMatcher
{
    private const int V6IndexBits = 16;

    public static readonly FeedMatcher Empty = Build([]);

    // IPv4 segment i is packed as (start << 32 | mask): one array, one cache line for both the compare and the answer.
    private readonly ulong[] _v4Segments;
    private readonly int[] _v4Index;
    private readonly int _v4Shift;
    private readonly UInt128[] _v6Starts;
    private readonly uint[] _v6Masks;
    private readonly int[] _v6Index;

    private FeedMatcher(uint[] v4Starts, uint[] v4Masks, UInt128[] v6Starts, uint[] v6Masks)
    {
        _v4Segments = new ulong[v4Starts.Length];
        for (var i = 0; i < v4Starts.Length; i++)
            _v4Segments[i] = (ulong)v4Starts[i] << 32 | v4Masks[i];
        // Large lists (a million-entry custom list) get a finer index, so a lookup touches about one segment line.
        var v4Bits = Math.Clamp(BitOperations.Log2((uint)v4Starts.Length) + 1, 16, 20);
        _v4Shift = 32 - v4Bits;
        _v4Index = BuildIndex(v4Starts, v4Bits, b => (uint)b << _v4Shift);
        _v6Starts = v6Starts;
        _v6Masks = v6Masks;
        _v6Index = BuildIndex(v6Starts, V6IndexBits, b => (UInt128)(uint)b << (128 - V6IndexBits));
    }

    /// <summary>Segments (including unlisted gaps) after merging, for diagnostics and benchmarks.</summary>
    public int V4Segments => _v4Segments.Length;

    public int V6Segments => _v6Starts.Length;

    /// <param name="feeds">Feed i's ranges give bit i of the masks; null for a feed with nothing loaded. At most 32.</param>
    public static FeedMatcher Build(IReadOnlyList<FeedRanges?> feeds)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(feeds.Count, 32, nameof(feeds));
        var (v4Starts, v4Masks) = RangeSweep.Build(feeds.Select(f => f?.V4).ToList());
        var (v6Starts, v6Masks) = RangeSweep.Build(feeds.Select(f => f?.V6).ToList());
        return new FeedMatcher(v4Starts, v4Masks, v6Starts, v6Masks);
    }

    /// <summary>The mask of the feeds listing <paramref name="address"/> (host byte order: 1.2.3.4 is 0x01020304).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint LookupV4(uint address)
    {
        ref var index = ref MemoryMarshal.GetArrayDataReference(_v4Index);
        var bucket = (int)(address >> _v4Shift);
        var lo = Unsafe.Add(ref index, bucket);
        var length = Unsafe.Add(ref index, bucket + 1) - lo + 1;
        ref var segments = ref MemoryMarshal.GetArrayDataReference(_v4Segments);
        // A segment starts at or before the address iff its packed value is ≤ (address << 32 | all mask bits).
        var key = (ulong)address << 32 | uint.MaxValue;
        while (length > 1)
        {
            var half = length >> 1;
            lo = Unsafe.Add(ref segments, lo + half) <= key ? lo + half : lo;
            length -= half;
        }
        return (uint)Unsafe.Add(ref segments, lo);
    }

    /// <summary>The mask of the feeds listing <paramref name="address"/> (the 128-bit big-endian value).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint LookupV6(UInt128 address)
    {
        ref var index = ref MemoryMarshal.GetArrayDataReference(_v6Index);
        var bucket = (int)(ulong)(address >> (128 - V6IndexBits));
        var lo = Unsafe.Add(ref index, bucket);
        var length = Unsafe.Add(ref index, bucket + 1) - lo + 1;
        ref var starts = ref MemoryMarshal.GetArrayDataReference(_v6Starts);
        while (length > 1)
        {
            var half = length >> 1;
            lo = Unsafe.Add(ref starts, lo + half) <= address ? lo + half : lo;
            length -= half;
        }
        return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_v6Masks), lo);
    }

    /// <summary>index[b] = the last segment starting at or before bucket b's first address; index[2^bits] = the last segment.</summary>
    private static int[] BuildIndex<T>(T[] starts, int bits, Func<int, T> bucketStart) where T : IComparable<T>
    {
        var buckets = 1 << bits;
        var index = new int[buckets + 1];
        var segment = 0;
        for (var bucket = 0; bucket < buckets; bucket++)
        {
            var first = bucketStart(bucket);
            while (segment + 1 < starts.Length && starts[segment + 1].CompareTo(first) <= 0)
                segment++;
            index[bucket] = segment;
        }
        index[buckets] = starts.Length - 1;
        return index;
    }
}
