using System.Collections;
using System.Runtime.InteropServices;

namespace Oie.Abstractions;

/// <summary>
/// Collects what a feed lists, as inclusive ranges of binary addresses (IPv4 as uint, IPv6 as UInt128), without
/// duplicates. Duplicates are dropped while the body is parsed (the entries are sorted and deduplicated whenever they
/// have doubled since the last time), so the memory a body takes follows the distinct entries it holds, not its lines:
/// a 50 MB body of one address repeated holds one entry. <see cref="V4"/> and <see cref="V6"/> are sorted by first
/// address, then last.
/// </summary>
public sealed class FeedEntriesBuilder
{
    /// <summary>Entries kept before the first deduplication; small enough that a body of duplicates stays small.</summary>
    private const int FirstCompaction = 4096;

    // IPv4 range packed as First << 32 | Last: sorting the packed values sorts by first, then last.
    private readonly List<ulong> _v4 = [];
    private readonly List<(UInt128 First, UInt128 Last)> _v6 = [];
    private int _v4CompactAt = FirstCompaction;
    private int _v6CompactAt = FirstCompaction;
    private int _v4Compacted;
    private int _v6Compacted;

    public FeedEntriesBuilder() => V4 = new V4View(this);

    /// <summary>Distinct IPv4 ranges, sorted.</summary>
    public IReadOnlyList<(uint First, uint Last)> V4 { get; }

    /// <summary>Distinct IPv6 ranges, sorted.</summary>
    public IReadOnlyList<(UInt128 First, UInt128 Last)> V6
    {
        get
        {
            CompactV6();
            return _v6;
        }
    }

    /// <summary>Lines or entries that were skipped as invalid.</summary>
    public int Invalid { get; private set; }

    /// <summary>Entries added, duplicates included: the listed lines (or records) that were valid.</summary>
    public int Listed { get; private set; }

    /// <summary>Distinct entries (an address or a range each; <c>1.2.3.4</c> and <c>1.2.3.4/32</c> are one).</summary>
    public int Count
    {
        get
        {
            CompactV4();
            CompactV6();
            return _v4.Count + _v6.Count;
        }
    }

    /// <summary>Entries held right now, duplicates not yet dropped included: what the builder's memory follows.</summary>
    public int Held => _v4.Count + _v6.Count;

    public void AddV4(uint address) => AddV4Range(address, address);

    public void AddV6(UInt128 address) => AddV6Range(address, address);

    /// <param name="network">Host bits beyond <paramref name="prefixLength"/> are ignored.</param>
    public void AddV4Cidr(uint network, int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 32);
        var hostMask = prefixLength == 0 ? uint.MaxValue : (1u << (32 - prefixLength)) - 1;
        AddV4Range(network & ~hostMask, network | hostMask);
    }

    /// <param name="network">Host bits beyond <paramref name="prefixLength"/> are ignored.</param>
    public void AddV6Cidr(UInt128 network, int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 128);
        var hostMask = prefixLength == 0 ? UInt128.MaxValue : (UInt128.One << (128 - prefixLength)) - 1;
        AddV6Range(network & ~hostMask, network | hostMask);
    }

    public void CountInvalid() => Invalid++;

    /// <summary>Why the body as a whole is not in the feed's format (a truncated document, an HTML page), in words an
    /// operator can act on; null when it is. The first reason given stands.</summary>
    public string? Rejection { get; private set; }

    /// <summary>The body as a whole is not in the feed's format: counted invalid, and <paramref name="reason"/> is
    /// what the refresh failure says instead of a bare count of invalid lines.</summary>
    public void Reject(string reason)
    {
        Rejection ??= reason;
        CountInvalid();
    }

    private void AddV4Range(uint first, uint last)
    {
        Listed++;
        _v4.Add((ulong)first << 32 | last);
        if (_v4.Count >= _v4CompactAt)
        {
            CompactV4();
            _v4CompactAt = Math.Max(FirstCompaction, _v4.Count * 2);
        }
    }

    private void AddV6Range(UInt128 first, UInt128 last)
    {
        Listed++;
        _v6.Add((first, last));
        if (_v6.Count >= _v6CompactAt)
        {
            CompactV6();
            _v6CompactAt = Math.Max(FirstCompaction, _v6.Count * 2);
        }
    }

    private void CompactV4()
    {
        if (_v4Compacted == _v4.Count)
            return;
        var span = CollectionsMarshal.AsSpan(_v4);
        span.Sort();
        var unique = Unique(span);
        _v4.RemoveRange(unique, span.Length - unique);
        _v4Compacted = _v4.Count;
    }

    private void CompactV6()
    {
        if (_v6Compacted == _v6.Count)
            return;
        var span = CollectionsMarshal.AsSpan(_v6);
        span.Sort(static (a, b) => a.First != b.First ? a.First.CompareTo(b.First) : a.Last.CompareTo(b.Last));
        var unique = Unique(span);
        _v6.RemoveRange(unique, span.Length - unique);
        _v6Compacted = _v6.Count;
    }

    /// <summary>Moves the distinct values of a sorted span to its front; returns how many there are.</summary>
    private static int Unique<T>(Span<T> sorted) where T : IEquatable<T>
    {
        if (sorted.IsEmpty)
            return 0;
        var kept = 1;
        for (var i = 1; i < sorted.Length; i++)
        {
            if (!sorted[i].Equals(sorted[kept - 1]))
                sorted[kept++] = sorted[i];
        }
        return kept;
    }

    /// <summary>The packed IPv4 list seen as (First, Last) pairs, deduplicated on first use.</summary>
    private sealed class V4View(FeedEntriesBuilder owner) : IReadOnlyList<(uint First, uint Last)>
    {
        public (uint First, uint Last) this[int index]
        {
            get
            {
                owner.CompactV4();
                var packed = owner._v4[index];
                return ((uint)(packed >> 32), (uint)packed);
            }
        }

        public int Count
        {
            get
            {
                owner.CompactV4();
                return owner._v4.Count;
            }
        }

        public IEnumerator<(uint First, uint Last)> GetEnumerator()
        {
            owner.CompactV4();
            foreach (var packed in owner._v4)
                yield return ((uint)(packed >> 32), (uint)packed);
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
