using Microsoft.Extensions.Logging;

namespace Oie.Libvirt;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to libvirt at {Uri}")]
    public static partial void Connected(ILogger logger, string uri);

    [LoggerMessage(Level = LogLevel.Error, Message = "libvirt unavailable ({Uri}): {Error}; retrying in {RetryIn}")]
    public static partial void Unavailable(ILogger logger, string uri, string error, TimeSpan retryIn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Domain {Domain} skipped: {Error}")]
    public static partial void DomainSkipped(ILogger logger, string domain, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Domain {Domain} ({Uuid}): {Field}; the instance's other series are unaffected")]
    public static partial void MetadataFieldIgnored(ILogger logger, string domain, string uuid, string field);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Domain {Domain} vanished during the cycle")]
    public static partial void DomainVanished(ILogger logger, string domain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Domain {Domain}: no counters this cycle: {Error}")]
    public static partial void StatsFailed(ILogger logger, string domain, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Domain {Domain}: device {Device} stats failed, facts will be re-read: {Error}")]
    public static partial void DeviceStatsFailed(ILogger logger, string domain, string device, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "libvirt does not accept NOWAIT for bulk stats ({Error}); asking without it")]
    public static partial void NoWaitUnsupported(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk domain stats failed, using per-domain calls this cycle: {Error}")]
    public static partial void BulkFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Domain {Domain}: disk {Device} capacity not read this cycle: {Error}")]
    public static partial void CapacityFailed(ILogger logger, string domain, string device, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "libvirt does not report domain jobs on this connection ({Error}); " +
        "the jobs collector exports nothing until the exporter reconnects to a driver that does (QEMU does)")]
    public static partial void JobsUnsupported(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Domain {Domain}: job stats not read this cycle: {Error}")]
    public static partial void JobsFailed(ILogger logger, string domain, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Domain {Domain}: its job calls did not return within {Budget} " +
        "(its QEMU monitor may be busy or hung); its jobs are not reported until the call returns, the other readings are unaffected")]
    public static partial void JobsTimedOut(ILogger logger, string domain, TimeSpan budget);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Domain {Domain}: an earlier job call has not returned; not starting another")]
    public static partial void JobsStillInFlight(ILogger logger, string domain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} domains' job calls have not returned ({Domains}); job reads are " +
        "paused until one does (check those domains' QEMU processes)")]
    public static partial void JobsPaused(ILogger logger, int count, string domains);

    [LoggerMessage(Level = LogLevel.Debug, Message = "libvirt read: bulk {BulkMs:0.0} ms, facts {FactsMs:0.0} ms, jobs {JobsMs:0.0} ms, stats {StatsMs:0.0} ms")]
    public static partial void ReadTimes(ILogger logger, double bulkMs, double factsMs, double jobsMs, double statsMs);
}
