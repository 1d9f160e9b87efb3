namespace Oie.Zones;

/// <summary>
/// Finds the node's backend by probing, in the order OVN → iptables → OVS (iptables before OVS: an iptables_hybrid
/// node also has OVS ports with tags, on its qvo devices). Until one is found a read returns <see cref="ZoneMap.Empty"/>
/// without an error and probes again at most once per reprobe interval; a probe that cannot tell (socket missing, tool
/// missing) is no error here. Once one is found, it is kept for the process lifetime and read as the direct source
/// would be, failures included.
/// </summary>
public sealed class AutoZoneMapSource : IZoneMapSource
{
    public static readonly TimeSpan DefaultReprobe = TimeSpan.FromMinutes(1);

    private readonly IProbingZoneMapSource[] _candidates;
    private readonly TimeProvider _time;
    private readonly TimeSpan _reprobe;
    private IZoneMapSource? _settled;
    private long? _lastProbe;
    private bool _disposed;

    internal AutoZoneMapSource(IProbingZoneMapSource[] candidates, TimeProvider time, TimeSpan reprobe)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(reprobe, TimeSpan.Zero);
        _candidates = candidates;
        _time = time;
        _reprobe = reprobe;
    }

    /// <summary>The backend settled on, <see cref="ZoneBackend.None"/> while none was found.</summary>
    public ZoneBackend Backend => _settled?.Backend ?? ZoneBackend.None;

    public string Description => _settled is { } settled
        ? $"auto: {settled.Description}"
        : $"auto (none found yet; probing {string.Join(", then ", _candidates.Select(c => c.Description))}, at most every {Format(_reprobe)})";

    /// <summary>Why each backend was not found at the last probe, for logs; null before the first probe and once settled.</summary>
    public string? LastProbeReport { get; private set; }

    /// <summary>How many times the backends were probed.</summary>
    public int Probes { get; private set; }

    public ZoneMap Read(CancellationToken deadline)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_settled is { } settled)
            return settled.Read(deadline);
        if (_lastProbe is { } last && _time.GetElapsedTime(last) < _reprobe)
            return ZoneMap.Empty;
        _lastProbe = _time.GetTimestamp();
        Probes++;
        var report = new List<string>(_candidates.Length);
        foreach (var candidate in _candidates)
        {
            try
            {
                if (candidate.TryProbe(deadline, out var map))
                {
                    Settle(candidate);
                    return map;
                }
                report.Add($"{candidate.Backend}: not this node's backend");
            }
            catch (ZoneMapException ex)
            {
                report.Add($"{candidate.Backend}: {ex.Message}");
            }
        }
        LastProbeReport = string.Join("; ", report);
        return ZoneMap.Empty;
    }

    private void Settle(IProbingZoneMapSource found)
    {
        _settled = found;
        LastProbeReport = null;
        foreach (var other in _candidates)
        {
            if (!ReferenceEquals(other, found))
                other.Dispose();
        }
    }

    private static string Format(TimeSpan interval) => interval.TotalSeconds % 60 == 0
        ? $"{interval.TotalMinutes:0}m"
        : $"{interval.TotalSeconds:0.###}s";

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_settled is { } settled)
        {
            settled.Dispose();
            return;
        }
        foreach (var candidate in _candidates)
            candidate.Dispose();
    }
}
