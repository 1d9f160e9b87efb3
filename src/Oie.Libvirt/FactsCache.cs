using Oie.Abstractions;

namespace Oie.Libvirt;

/// <summary>
/// Parsed domain facts keyed by UUID. An entry is re-read only when it can have changed: a new domain ID (restarted),
/// bulk device counts that differ from the XML, a device whose stats failed (detached), or age (Nova rewrites the
/// metadata on interface attach/detach without touching anything we could observe).
/// </summary>
internal sealed class FactsCache(TimeProvider timeProvider)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _cycle;

    public int Count => _entries.Count;

    public void BeginCycle() => _cycle++;

    /// <summary>The cached entry if it is still good for a domain with this ID and these bulk device counts.</summary>
    public Entry? GetFresh(string uuid, uint domainId, int? bulkBlockCount, int? bulkNetCount)
    {
        if (!_entries.TryGetValue(uuid, out var entry))
            return null;
        entry.SeenCycle = _cycle;
        var stale = entry.Stale || entry.DomainId != domainId ||
                    (bulkBlockCount is { } blocks && blocks != entry.Parsed.DiskElements) ||
                    (bulkNetCount is { } nets && nets != entry.Parsed.InterfaceElements) ||
                    timeProvider.GetElapsedTime(entry.ParsedAt) >= MaxAge;
        return stale ? null : entry;
    }

    public Entry Store(string uuid, uint domainId, ParsedDomain parsed)
    {
        // After a refresh caused by a failing device, a device that still fails with unchanged XML (one the driver
        // cannot report on) must not cause a parse every cycle: remember that this XML was already re-read for it.
        var recheckedDevices = _entries.TryGetValue(uuid, out var old) && old.Stale && old.DomainId == domainId &&
                               old.Parsed.Facts.Equals(parsed.Facts);
        var entry = new Entry(parsed, domainId, timeProvider.GetTimestamp()) { SeenCycle = _cycle, DevicesRechecked = recheckedDevices };
        _entries[uuid] = entry;
        return entry;
    }

    public void Remove(string uuid) => _entries.Remove(uuid);

    /// <summary>Drops domains that were not seen this cycle, so memory follows the set of active domains.</summary>
    public void EndCycle()
    {
        foreach (var (uuid, entry) in _entries)
        {
            if (entry.SeenCycle != _cycle)
                _entries.Remove(uuid);
        }
    }

    internal sealed class Entry(ParsedDomain parsed, uint domainId, long parsedAt)
    {
        public ParsedDomain Parsed { get; } = parsed;
        public InstanceFacts Facts => Parsed.Facts;
        public uint DomainId { get; } = domainId;
        public long ParsedAt { get; } = parsedAt;
        public long SeenCycle { get; set; }
        public bool Stale { get; private set; }
        public bool DevicesRechecked { get; init; }

        /// <summary>A device in the facts could not be read: re-read the XML next cycle, once.</summary>
        public void DeviceFailed()
        {
            if (!DevicesRechecked)
                Stale = true;
        }
    }
}
