using System.IO.Compression;
using Oie.Abstractions;

namespace Oie.Host.Exposition;

/// <summary>How long a family's samples stay servable after the cycle that produced them.</summary>
internal sealed record CacheTtls(TimeSpan Dynamic, TimeSpan Static, TimeSpan Grace)
{
    public TimeSpan For(CacheLifetime lifetime) => (lifetime == CacheLifetime.Static ? Static : Dynamic) + Grace;
    public TimeSpan Longest => (Static > Dynamic ? Static : Dynamic) + Grace;
}

/// <summary>
/// One finished exposition: the bytes a scrape copies out, and until when they may be served. The gzip body is made at
/// render time (Prometheus asks for it); the plain body is concatenated from the same parts on the first scrape that
/// wants it, so a node scraped only with gzip never holds its plain text.
/// </summary>
internal sealed class RenderedExposition
{
    private readonly Lazy<byte[]> _body;

    public RenderedExposition(IReadOnlyList<ReadOnlyMemory<byte>> parts, int length, byte[] gzipBody, long validUntil)
    {
        _body = new Lazy<byte[]>(() => Concatenate(parts, length), LazyThreadSafetyMode.ExecutionAndPublication);
        GzipBody = gzipBody;
        ValidUntil = validUntil;
    }

    public byte[] Body => _body.Value;
    public byte[] GzipBody { get; }

    /// <summary>TimeProvider timestamp after which a sample in <see cref="Body"/> has outlived its TTL.</summary>
    public long ValidUntil { get; }

    private static byte[] Concatenate(IReadOnlyList<ReadOnlyMemory<byte>> parts, int length)
    {
        var body = new byte[length];
        var at = 0;
        foreach (var part in parts)
        {
            part.Span.CopyTo(body.AsSpan(at));
            at += part.Length;
        }
        return body;
    }
}

/// <summary>
/// The static and dynamic caches of the seed, keyed by instance: what each instance's last cycle produced, encoded.
/// The exposition is rendered in the background only: once per cycle when it publishes, when the cleanup drops expired
/// instances, and at the moment a served sample outlives its TTL (a timer armed by every render), so stale series never
/// show and a scrape only ever copies the rendered bytes.
/// </summary>
internal sealed class ExpositionStore : IDisposable
{
    private readonly FamilyTable _families;
    private readonly CacheTtls _ttls;
    private readonly TimeProvider _time;
    private readonly Action<Stream> _appendSelfMetrics;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly long[] _ttlTicks;
    private RenderedExposition _current = null!; // set by the constructor's first render
    /// <summary>Reused by every render: the compressed body is copied out of it at its exact size.</summary>
    private readonly MemoryStream _gzipScratch = new();
    private readonly MemoryStream _selfMetricsScratch = new();
    private readonly ITimer _expiry;

    public ExpositionStore(FamilyTable families, CacheTtls ttls, TimeProvider time, Action<Stream> appendSelfMetrics)
    {
        _families = families;
        _ttls = ttls;
        _time = time;
        _appendSelfMetrics = appendSelfMetrics;
        _ttlTicks = new long[families.Count];
        for (var i = 0; i < families.Count; i++)
            _ttlTicks[i] = ToTicks(ttls.For(families[i].Lifetime));
        _expiry = time.CreateTimer(_ => RenderExpired(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        // Served until the first cycle publishes: the exporter's own metrics as they are at start.
        lock (_lock)
            RenderLocked(time.GetTimestamp());
    }

    public int InstanceCount
    {
        get
        {
            lock (_lock)
                return _entries.Count - (_entries.ContainsKey(CycleSamples.HostKey) ? 1 : 0);
        }
    }

    /// <summary>
    /// Stores what a cycle produced. Every instance of the snapshot replaces its entry (an instance whose samples were all
    /// suppressed this cycle is left with none). When libvirt was read, instances it no longer lists are dropped at once.
    /// </summary>
    /// <param name="beforeRender">Self-metric updates that must show only together with this cycle's samples (the
    /// last-success time): run under the store's lock, so no other render (the expiry timer's) shows them without the samples.</param>
    public void Publish(CycleSnapshot snapshot, CycleSamples samples, Action? beforeRender = null)
    {
        var producedAt = _time.GetTimestamp();
        lock (_lock)
        {
            beforeRender?.Invoke();
            if (snapshot.LibvirtAvailable)
            {
                var active = new HashSet<string>(StringComparer.Ordinal) { CycleSamples.HostKey };
                foreach (var instance in snapshot.Instances)
                    active.Add(instance.Facts.InstanceUuid);
                _entries.Keys.Where(uuid => !active.Contains(uuid)).ToList().ForEach(uuid => _entries.Remove(uuid));
            }
            foreach (var instance in snapshot.Instances)
            {
                var facts = instance.Facts;
                _entries[facts.InstanceUuid] = new Entry(facts.Domain, facts.InstanceUuid, producedAt, samples.Take(facts.InstanceUuid));
            }
            _entries[CycleSamples.HostKey] = new Entry("", CycleSamples.HostKey, producedAt, samples.Take(CycleSamples.HostKey));
            RenderLocked(_time.GetTimestamp());
        }
    }

    /// <summary>Drops entries whose every sample has expired; returns how many instances that was.</summary>
    public int RemoveExpired()
    {
        var now = _time.GetTimestamp();
        var longest = ToTicks(_ttls.Longest);
        lock (_lock)
        {
            var expired = _entries.Values.Where(e => now - e.ProducedAt > longest).Select(e => e.Uuid).ToList();
            foreach (var uuid in expired)
                _entries.Remove(uuid);
            if (expired.Count > 0)
                RenderLocked(now);
            return expired.Count(uuid => uuid != CycleSamples.HostKey);
        }
    }

    /// <summary>The exposition to serve now: the last render, never rendered here.</summary>
    public RenderedExposition Current() => Volatile.Read(ref _current);

    /// <summary>The expiry timer: a sample of the current render has outlived its TTL (or the timer ran early).</summary>
    private void RenderExpired()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            if (now > _current.ValidUntil)
                RenderLocked(now);
            else
                ArmExpiry(now, _current.ValidUntil);
        }
    }

    /// <summary>Fires the first tick after <paramref name="validUntil"/>; disarmed when nothing served expires.</summary>
    private void ArmExpiry(long now, long validUntil)
    {
        if (validUntil == long.MaxValue)
        {
            _expiry.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var due = TimeSpan.FromSeconds((validUntil - now + 1) / (double)_time.TimestampFrequency);
        _expiry.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => _expiry.Dispose();

    private void RenderLocked(long now)
    {
        var ordered = _entries.Values.OrderBy(e => e.Domain, StringComparer.Ordinal).ThenBy(e => e.Uuid, StringComparer.Ordinal).ToList();
        var parts = new List<ReadOnlyMemory<byte>>(ordered.Count * 4 + 1);
        var length = 0;
        var validUntil = long.MaxValue;
        for (var f = 0; f < _families.Count; f++)
        {
            var headerWritten = false;
            foreach (var entry in ordered)
            {
                var segment = entry.Segments[f];
                if (segment.IsEmpty)
                    continue;
                var expiresAt = entry.ProducedAt + _ttlTicks[f];
                if (now > expiresAt)
                    continue;
                validUntil = Math.Min(validUntil, expiresAt);
                if (!headerWritten)
                {
                    parts.Add(_families[f].Header);
                    length += _families[f].Header.Length;
                    headerWritten = true;
                }
                parts.Add(segment);
                length += segment.Length;
            }
        }
        _selfMetricsScratch.SetLength(0);
        _appendSelfMetrics(_selfMetricsScratch);
        var selfMetrics = _selfMetricsScratch.ToArray();
        parts.Add(selfMetrics);
        length += selfMetrics.Length;
        Volatile.Write(ref _current, new RenderedExposition(parts, length, Gzip(parts), validUntil));
        ArmExpiry(now, validUntil);
    }

    /// <summary>Optimal (zlib level 6), not Fastest: zlib-ng's fastest level makes a 1,000-instance body ≈ 460 KB instead
    /// of ≈ 270 KB, and every scrape pays for the bytes while the render pays once per cycle (≈ 20 ms more).</summary>
    private byte[] Gzip(IReadOnlyList<ReadOnlyMemory<byte>> parts)
    {
        _gzipScratch.SetLength(0);
        using (var gzip = new GZipStream(_gzipScratch, CompressionLevel.Optimal, leaveOpen: true))
        {
            foreach (var part in parts)
                gzip.Write(part.Span);
        }
        return _gzipScratch.ToArray();
    }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private sealed record Entry(string Domain, string Uuid, long ProducedAt, ReadOnlyMemory<byte>[] Segments);
}
