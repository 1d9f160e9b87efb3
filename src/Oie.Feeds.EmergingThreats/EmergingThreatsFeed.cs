using Oie.Abstractions;

namespace Oie.Feeds.EmergingThreats;

/// <summary>
/// EmergingThreats <c>compromised-ips.txt</c>: one address per line, <c>#</c> comments. The list is IPv4 today; an IPv6
/// address is taken as well rather than silently dropped. Anything else on a line (a CIDR, a host name, HTML) is skipped
/// and counted invalid.
/// </summary>
public sealed class EmergingThreatsFeed(FeedDescriptor descriptor) : IThreatFeed, IThreatFeedPlugin
{
    public const string Name = "emergingthreats";
    public const string MetricName = "oie_emergingthreats_contact";
    public const string Help = "1 if this instance communicated with an IP listed in the EmergingThreats compromised IP feed";
    public const string DefaultUrl = "https://rules.emergingthreats.net/blockrules/compromised-ips.txt";
    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromHours(6);

    /// <summary>What the Go exporter's hit lines call this feed: <c>[THREAT] EMTHREATS-HIT: …</c>.</summary>
    public const string HitTag = "EMTHREATS";

    public FeedDescriptor Descriptor { get; } = descriptor;

    public static FeedFactory Setup(FlagSet flags)
    {
        var url = FeedFlags.Source(flags, "emergingthreats.url", DefaultUrl, "EmergingThreats compromised-IP list");
        var refresh = FeedFlags.Refresh(flags, Name, DefaultRefresh, "the EmergingThreats list");
        return _ => new EmergingThreatsFeed(new FeedDescriptor(Name, MetricName, Help, [url.Value], refresh.Value) { HitTag = HitTag });
    }

    public void Parse(ReadOnlySpan<byte> body, Uri source, FeedEntriesBuilder entries)
    {
        foreach (var line in new FeedLines(body))
        {
            var entry = FeedText.BeforeComment(line, (byte)'#');
            if (!entry.IsEmpty && !entries.TryAddAddress(entry))
                entries.CountInvalid();
        }
    }
}
