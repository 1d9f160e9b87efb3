using System.IO.Compression;
using Oie.Abstractions;

namespace Oie.Host.Exposition;

/// <summary>How long a family's samples stay servable after the cycle that produced them.</summary>
internal sealed record CacheTtls(TimeSpan Dynamic, TimeSpan Static, TimeSpan Grace)
{
    public TimeSpan For(CacheLifetime lifetime) => (lifetime == CacheLifetime.Static ? Static : Dynamic) + Grace;
    public TimeSpan Longest => (Static > Dynamic ? Static : Dynamic) + Grace;
}

/// <summary>One finished exposition: the bytes a scrape copies out, and until when they may be served.</summary>
internal sealed class RenderedExposition(byte[] body, byte[] gzipBody, long validUntil)
{
    public byte[] Body { get; } = body;
    public byte[] GzipBody { get; } = gzipBody;

    /// <summary>TimeProvider timestamp after which a sample in <see cref="Body"/> has outlived its TTL.</summary>
    public long ValidUntil { get; } = validUntil;
}

/// <summary>
/// The static and dynamic caches of the seed, keyed by instance: what each instance's last cycle produced, encoded.
/// The exposition is rendered once per cycle in the background; a scrape copies the rendered bytes, and only re-renders
/// (concatenation, no parsing) when an entry has outlived its TTL since the last render, so stale series never show.
/// </summary>
internal sealed class ExpositionStore
{
    private readonly FamilyTable _families;
    private readonly CacheTtls _ttls;
    private readonly TimeProvider _time;
    private readonly Action<Stream> _appendSelfMetrics;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly long[] _ttlTicks;
    private RenderedExposition _current;
    private int _lastSize = 4096;

    public ExpositionStore(FamilyTable families, CacheTtls ttls, TimeProvider time, Action<Stream> appendSelfMetrics)
    {
        _families = families;
        _ttls = ttls;
        _time = time;
        _appendSelfMetrics = appendSelfMetrics;
        _ttlTicks = new long[families.Count];
        for (var i = 0; i < families.Count; i++)
            _ttlTicks[i] = ToTicks(ttls.For(families[i].Lifetime));
        _current = new RenderedExposition([], Gzip([]), long.MinValue);
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
    public void Publish(CycleSnapshot snapshot, CycleSamples samples)
    {
        var producedAt = _time.GetTimestamp();
        lock (_lock)
        {
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

    /// <summary>The exposition to serve now.</summary>
    public RenderedExposition Current()
    {
        var current = Volatile.Read(ref _current);
        var now = _time.GetTimestamp();
        if (now <= current.ValidUntil)
            return current;
        lock (_lock)
        {
            if (now > _current.ValidUntil)
                RenderLocked(now);
            return _current;
        }
    }

    private void RenderLocked(long now)
    {
        var ordered = _entries.Values.OrderBy(e => e.Domain, StringComparer.Ordinal).ThenBy(e => e.Uuid, StringComparer.Ordinal).ToList();
        var body = new MemoryStream(_lastSize + _lastSize / 8);
        var validUntil = long.MaxValue;
        for (var f = 0; f < _families.Count; f++)
        {
            var headerWritten = false;
            foreach (var entry in ordered)
            {
                if (entry.Segments[f] is not { } segment)
                    continue;
                var expiresAt = entry.ProducedAt + _ttlTicks[f];
                if (now > expiresAt)
                    continue;
                validUntil = Math.Min(validUntil, expiresAt);
                if (!headerWritten)
                {
                    body.Write(_families[f].Header.Span);
                    headerWritten = true;
                }
                body.Write(segment);
            }
        }
        _appendSelfMetrics(body);
        var bytes = body.ToArray();
        _lastSize = bytes.Length;
        Volatile.Write(ref _current, new RenderedExposition(bytes, Gzip(bytes), validUntil));
    }

    private static byte[] Gzip(byte[] bytes)
    {
        var output = new MemoryStream(bytes.Length / 4 + 64);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(bytes);
        return output.ToArray();
    }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private sealed record Entry(string Domain, string Uuid, long ProducedAt, byte[]?[] Segments);
}
