namespace Oie.Zones;

/// <summary>A source that can also tell whether its backend is the one this node runs (for <see cref="AutoZoneMapSource"/>).</summary>
internal interface IProbingZoneMapSource : IZoneMapSource
{
    /// <summary>
    /// True with the current map when the backend's own marks are there; false when they are not. Throws
    /// <see cref="ZoneMapException"/> when it cannot tell (socket missing, tool missing, …).
    /// </summary>
    bool TryProbe(CancellationToken deadline, out ZoneMap map);
}
