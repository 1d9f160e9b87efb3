using Microsoft.Extensions.Logging;
using Oie.Abstractions;
using Oie.Host.Logging;

namespace Oie.Host.CommandLine;

/// <summary>The flags the host itself owns. Names and defaults are the seed's.</summary>
internal sealed class HostFlags
{
    public HostFlags(FlagSet flags)
    {
        ListenAddress = flags.Custom<ListenAddress>("web.listen-address", "0.0.0.0:9120",
            "Address on which to expose metrics and web interface.", CommandLine.ListenAddress.Parse);
        TelemetryPath = flags.Custom<string>("web.telemetry-path", "/metrics",
            "Path under which to expose metrics.", ParseTelemetryPath);
        LibvirtUri = flags.String("libvirt.uri", "qemu:///system", "Libvirt connection URI (opened read-only).");
        LibvirtTimeout = flags.Custom<TimeSpan>("libvirt.timeout", "0s",
            "Deadline for one cycle's libvirt read; past it the cycle reports libvirt unavailable (a hung QEMU\n" +
            "can block libvirt without a timeout). 0 means one -collection.interval.",
            FlagParsers.NonNegativeDuration);
        StaticCacheExpiration = flags.Duration("static.cache.expiration", TimeSpan.FromHours(1),
            "How long rarely-changing metrics (disk thresholds) of an instance stay served after the cycle that produced them.");
        DynamicCacheExpiration = flags.Duration("dynamic.cache.expiration", TimeSpan.FromSeconds(10),
            "How long measured metrics of an instance stay served after the cycle that produced them\n" +
            "(plus one collection interval of grace).");
        CollectionInterval = flags.Duration("collection.interval", TimeSpan.FromSeconds(10),
            "Interval between background collection cycles.");
        LogLevel = flags.Tolerant<LogLevel>("log.level", "error",
            "Log level: error, info or debug, in any case; anything else is error, as in the Go exporter\n" +
            "(changeable at run time through /debug/log-level).", LogLevelSwitch.ParseFlag);
        LogFormat = flags.Custom<LogFormat>("log.format", "logfmt", "Log line format: logfmt or json.", LogFormats.Parse);
        MaxRequests = flags.Custom<int>("web.max-requests", "40",
            "Maximum number of concurrent scrapes; beyond it a scrape gets 503 at once. 0 means no limit.", NonNegative);
        DebugLogLevelEnabled = flags.Bool("web.debug-log-level.enable", true,
            "Serve /debug/log-level: read the log level from anywhere, change it from loopback (or as a basic-auth user).");
        WebConfigFile = flags.String("web.config.file", "",
            "Path to a web configuration file (exporter-toolkit format) enabling TLS and/or basic authentication. Empty: neither.");
    }

    public Flag<ListenAddress> ListenAddress { get; }
    public Flag<string> TelemetryPath { get; }
    public Flag<string> LibvirtUri { get; }
    public Flag<TimeSpan> LibvirtTimeout { get; }
    public Flag<TimeSpan> StaticCacheExpiration { get; }
    public Flag<TimeSpan> DynamicCacheExpiration { get; }
    public Flag<TimeSpan> CollectionInterval { get; }
    public Flag<LogLevel> LogLevel { get; }
    public Flag<LogFormat> LogFormat { get; }
    public Flag<bool> DebugLogLevelEnabled { get; }
    public Flag<int> MaxRequests { get; }
    public Flag<string> WebConfigFile { get; }

    /// <summary>The libvirt read deadline in force. Longer than the interval is allowed: a slow read makes the cycle
    /// overrun, and the loop skips the slots it missed rather than stacking cycles.</summary>
    public TimeSpan ResolveLibvirtTimeout() =>
        LibvirtTimeout.Value == TimeSpan.Zero ? CollectionInterval.Value : LibvirtTimeout.Value;

    private static string? NonNegative(string text, out int value) =>
        FlagParsers.Int(text, out value) ?? (value >= 0 ? null : "must be 0 (no limit) or more");

    private static string? ParseTelemetryPath(string text, out string value)
    {
        value = text;
        if (text.Length < 2 || text[0] != '/' || text.Contains('?') || text.Contains('#'))
            return "must be an absolute path such as /metrics, other than /";
        return null;
    }
}
