using Microsoft.Extensions.Logging;
using Oie.Conntrack;
using Oie.Host.Exposition;
using Oie.Zones;

namespace Oie.Host.Collection;

/// <summary>
/// Reads the node's Neutron port → conntrack zone map once per cycle, before the table. When it cannot be read
/// (OVSDB down or answering garbage, iptables-save failing) the cycle attributes by address alone, as without zones:
/// the error is counted (<c>oie_exporter_collection_errors_total{source="zones"}</c>) and logged once per distinct
/// message, and the cycle goes on.
/// </summary>
internal sealed partial class ZoneStage(IZoneMapSource source, TimeSpan deadline, SelfMetrics self, ILogger<ZoneStage> logger) : IDisposable
{
    private string? _lastError;
    private ZoneBackend _lastBackend = ZoneBackend.None;

    /// <summary>A fifth of the interval, at most 2 s: OVSDB answers in milliseconds, and the conntrack read that
    /// follows needs the rest of the cycle.</summary>
    public static TimeSpan DeadlineFor(TimeSpan interval) => TimeSpan.FromTicks(Math.Min(interval.Ticks / 5, TimeSpan.FromSeconds(2).Ticks));

    /// <summary>This cycle's zones, or null to attribute by address alone.</summary>
    public IPortZones? Read()
    {
        ZoneMap map;
        try
        {
            using var token = new CancellationTokenSource(deadline);
            map = source.Read(token.Token);
        }
        catch (ZoneMapException ex)
        {
            self.Errors.WithLabels("zones").Inc();
            self.ZonePorts.WithLabels(BackendLabel(source.Backend)).Set(0);
            if (ex.Message != _lastError)
                LogFailed(source.Description, ex.Message);
            _lastError = ex.Message;
            return null;
        }
        if (_lastError is not null)
            LogBack(source.Description);
        _lastError = null;
        if (map.Backend != _lastBackend && map.Backend != ZoneBackend.None)
            LogUsing(BackendLabel(map.Backend), source.Description, map.Count);
        _lastBackend = map.Backend;
        self.ZonePorts.WithLabels(BackendLabel(map.Backend)).Set(map.Count);
        return map.Backend == ZoneBackend.None ? null : new PortZones(map);
    }

    public void Dispose() => source.Dispose();

    private static string BackendLabel(ZoneBackend backend) => backend switch
    {
        ZoneBackend.Ovn => "ovn",
        ZoneBackend.Ovs => "ovs",
        ZoneBackend.Iptables => "iptables",
        _ => "none",
    };

    private sealed class PortZones(ZoneMap map) : IPortZones
    {
        public bool TryGetZone(string portId, out ushort zone) => map.TryGetZone(portId, out zone);

        public bool IsKnownZone(ushort zone) => map.IsKnownZone(zone);
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "conntrack zones: cannot read {Source}; entries are attributed by address alone until it can: {Error}")]
    private partial void LogFailed(string source, string error);

    [LoggerMessage(Level = LogLevel.Information, EventName = Logging.ThrottlingLoggerProvider.RecoveredEventName, Message = "conntrack zones: {Source} can be read again")]
    private partial void LogBack(string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "conntrack zones: from {Backend} ({Source}), {Ports} ports")]
    private partial void LogUsing(string backend, string source, int ports);
}
