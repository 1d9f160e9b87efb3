using Microsoft.Extensions.Logging;
using Oie.Abstractions;
using Oie.Conntrack;
using Oie.Conntrack.Reading;
using Oie.Host.Exposition;

namespace Oie.Host.Collection;

/// <summary>
/// The cycle's conntrack source: the zone map, then the table, attributed to the cycle's instances. Failures are
/// counted and logged here, once for every collector that uses the table (they only discard their samples).
/// </summary>
internal sealed partial class ConntrackStage(
    ConntrackReader reader,
    ZoneStage? zones,
    bool recordContacts,
    SelfMetrics self,
    TimeProvider time,
    ILogger<ConntrackStage> logger) : IDisposable
{
    private string? _lastError;

    // Only for its effect: the counters exist (at 0) from the first scrape, before any resync.
    private readonly bool _resyncsShown = ShowResyncs(reader, self);

    public void Dispose()
    {
        zones?.Dispose();
        reader.Dispose();
    }

    public ConntrackTable Read(IReadOnlyList<Instance> instances)
    {
        var zonesStarted = time.GetTimestamp();
        var portZones = zones?.Read();
        if (zones is not null)
            self.StageDuration.WithLabels("zones").Set(time.GetElapsedTime(zonesStarted).TotalSeconds);

        var started = time.GetTimestamp();
        var table = reader.Read(FixedIpIndex.Build(instances, portZones), recordContacts);
        self.StageDuration.WithLabels("conntrack").Set(time.GetElapsedTime(started).TotalSeconds);
        Report(table);
        return table;
    }

    /// <summary>A source that keeps its table between cycles shows its resync counters from the start, at 0.</summary>
    private static bool ShowResyncs(ConntrackReader reader, SelfMetrics self)
    {
        foreach (var reason in reader.ResyncReasons)
            self.ConntrackResyncs.WithLabels(reason);
        return reader.ResyncReasons.Count > 0;
    }

    private void Report(ConntrackTable table)
    {
        foreach (var reason in table.Resyncs)
            self.ConntrackResyncs.WithLabels(reason).Inc();
        self.ConntrackReadSuccess.WithLabels("ipv4").Set(table.HasRead(Net.IpFamily.V4) ? 1 : 0);
        self.ConntrackReadSuccess.WithLabels("ipv6").Set(table.HasRead(Net.IpFamily.V6) ? 1 : 0);
        self.AmbiguousFixedIps.Set(table.Ambiguous.Count);
        if (table.Errors.Count == 0)
        {
            if (_lastError is not null)
                LogBack();
            _lastError = null;
            return;
        }
        self.Errors.WithLabels("conntrack").Inc();
        var error = string.Join("; ", table.Errors);
        // One line per distinct failure rather than one per cycle while the source stays broken.
        if (error != _lastError)
        {
            if (table.IsFailed)
                LogFailed(error);
            else
                LogFamilyFailed(FamiliesMissing(table), error);
        }
        _lastError = error;
    }

    private static string FamiliesMissing(ConntrackTable table) =>
        table.HasRead(Net.IpFamily.V4) ? "IPv6" : "IPv4";

    [LoggerMessage(Level = LogLevel.Error,
        Message = "conntrack: the table could not be read; conntrack and threat-contact metrics are left out until it can: {Error}")]
    private partial void LogFailed(string error);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "conntrack: the {Family} entries could not be read; that family's fixed IPs and contacts are left out until they can, the other family is exported: {Error}")]
    private partial void LogFamilyFailed(string family, string error);

    [LoggerMessage(Level = LogLevel.Information, EventName = Logging.ThrottlingLoggerProvider.RecoveredEventName, Message = "conntrack: the table is read whole again")]
    private partial void LogBack();
}
