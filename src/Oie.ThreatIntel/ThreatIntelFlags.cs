using Oie.Abstractions;

namespace Oie.ThreatIntel;

/// <summary>The flags shared by every feed; the host calls <see cref="Define"/> before parsing the command line.</summary>
public sealed class ThreatIntelFlags
{
    public const string DefaultCacheDir = "/var/lib/openstack_instance_exporter/feeds";

    private ThreatIntelFlags(Flag<string> cacheDir, Flag<int> maxSizeMb, Flag<TimeSpan> timeout, Flag<bool> flows)
    {
        Flows = flows;
        CacheDir = cacheDir;
        MaxSizeMb = maxSizeMb;
        Timeout = timeout;
    }

    public Flag<string> CacheDir { get; }
    public Flag<int> MaxSizeMb { get; }
    public Flag<TimeSpan> Timeout { get; }

    /// <summary>-threat.flows.enable: export oie_threat_contact_flows beside the contact metrics.</summary>
    public Flag<bool> Flows { get; }

    public static ThreatIntelFlags Define(FlagSet flags) => new(
        flags.String("feeds.cache-dir", DefaultCacheDir,
            "Directory for the last good copy of each threat-intel feed, loaded at startup so a restart during a feed outage keeps detecting; empty = memory only"),
        flags.Custom<int>("feeds.max-size-mb", "64", "Largest threat-intel feed body accepted, in MiB (after decompression)", PositiveInt),
        flags.Duration("feeds.timeout", TimeSpan.FromSeconds(60), "Total time allowed for one threat-intel feed download, body included"),
        flags.Bool("threat.flows.enable", false,
            "Export oie_threat_contact_flows: per instance, feed and direction (inbound/outbound: who opened the flow), the conntrack entries whose remote endpoint the feed lists."));

    public FeedFetchOptions FetchOptions => new()
    {
        MaxBytes = MaxSizeMb.Value * 1024L * 1024L,
        RequestTimeout = Timeout.Value,
        ConnectTimeout = Timeout.Value < TimeSpan.FromSeconds(10) ? Timeout.Value : TimeSpan.FromSeconds(10),
    };

    private static string? PositiveInt(string text, out int value) =>
        FlagParsers.Int(text, out value) ?? (value > 0 ? null : "must be greater than zero");
}
